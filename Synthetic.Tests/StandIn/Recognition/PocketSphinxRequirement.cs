using Synthetic.StandIn.Recognition;

namespace Synthetic.Tests.StandIn.Recognition;

/// <summary>The real-recognition tier needs Debian's pocketsphinx: missing, it is a failure that says how to install it.</summary>
internal static class PocketSphinxRequirement
{
    public static void Require()
    {
        var model = Path.Combine(PocketSphinxRecognizer.DefaultModelFolder, "en-us.lm.bin");
        Assert.True(File.Exists("/usr/lib/x86_64-linux-gnu/libpocketsphinx.so.3") || File.Exists("/usr/lib/aarch64-linux-gnu/libpocketsphinx.so.3"),
            "libpocketsphinx.so.3 is not installed. Install it with: apt-get update && apt-get install -y pocketsphinx pocketsphinx-en-us (./test.sh does this).");
        Assert.True(File.Exists(model),
            $"The pocketsphinx en-us model ({model}) is not installed. Install it with: apt-get update && apt-get install -y pocketsphinx pocketsphinx-en-us (./test.sh does this).");
    }
}
