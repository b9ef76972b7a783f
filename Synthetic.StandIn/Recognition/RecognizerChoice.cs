namespace Synthetic.StandIn.Recognition;

/// <summary>What turns received audio into text (the command line's <c>--recognizer</c>).</summary>
public enum RecognizerChoice
{
    /// <summary>The default: fixture clips are recognized by the SHA-256 of their bytes; unknown audio is heard as silence.</summary>
    None,

    /// <summary>Debian's pocketsphinx with its en-us model transcribes the audio for real.</summary>
    PocketSphinx,
}

/// <summary>Creates the recognizer a <see cref="RecognizerChoice"/> names.</summary>
internal static class Recognizers
{
    /// <summary>The command-line names, in order: <c>none</c>, <c>pocketsphinx</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["none", "pocketsphinx"];

    public static string Name(RecognizerChoice choice) => choice == RecognizerChoice.PocketSphinx ? "pocketsphinx" : "none";

    /// <summary>Null for <see cref="RecognizerChoice.None"/>; throws <see cref="FileNotFoundException"/> when pocketsphinx is missing.</summary>
    public static IRecognizer? Create(RecognizerChoice choice) =>
        choice == RecognizerChoice.PocketSphinx ? PocketSphinxRecognizer.Load() : null;
}
