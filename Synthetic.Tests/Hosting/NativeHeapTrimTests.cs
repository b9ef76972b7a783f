using System.Runtime.InteropServices;
using Synthetic.Hosting;

namespace Synthetic.Tests.Hosting;

/// <summary>The monitor process gives the C heap's free pages back to the system (glibc's malloc_trim).</summary>
public sealed class NativeHeapTrimTests
{
    [Fact]
    public void TryTrim_FreedCHeapPagesBelowALiveBlock_ReturnedToTheSystem()
    {
        // 64 MiB of 4 KiB blocks, touched, then freed but for the last: free() returns only an arena's top to the system,
        // so the freed pages below the live block stay resident until a trim.
        const int Blocks = 16_384;
        const int Size = 4096;
        var blocks = new nint[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(Size); // malloc on Unix
            for (var offset = 0; offset < Size; offset += 512)
            {
                Marshal.WriteByte(blocks[i], offset, 1);
            }
        }

        for (var i = 0; i < Blocks - 1; i++)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }

        try
        {
            Assert.True(NativeHeapTrim.Available, "this Linux's C library has no malloc_trim (glibc has)");
            var before = AnonymousKiB();
            Assert.True(NativeHeapTrim.TryTrim(), "malloc_trim is not in this C library");
            var after = AnonymousKiB();

            Assert.True(before - after >= 32 * 1024, $"anonymous memory {before} -> {after} KiB after the trim; expected at least 32 MiB of the 64 freed back");
        }
        finally
        {
            Marshal.FreeHGlobal(blocks[Blocks - 1]);
        }
    }

    private static long AnonymousKiB() =>
        long.Parse(File.ReadLines("/proc/self/status").Single(l => l.StartsWith("RssAnon:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
