namespace Synthetic.StandIn.Recognition;

/// <summary>Turns 16 kHz mono 16-bit PCM into text. Thread-safe: decoding is serialized or pooled inside.</summary>
internal interface IRecognizer : IDisposable
{
    Task<string> TranscribeAsync(ReadOnlyMemory<short> pcm16kMono, CancellationToken cancellationToken);
}
