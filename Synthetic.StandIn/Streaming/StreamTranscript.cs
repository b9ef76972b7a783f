using System.Buffers.Binary;

namespace Synthetic.StandIn.Streaming;

/// <summary>
/// The words a stream session has heard, split into what is already final and the current segment, so each
/// final carries only its own segment (Deepgram and OpenAI clients add segments up) and partials only grow.
/// </summary>
internal sealed class StreamTranscript
{
    private string[] _heard = [];
    private int _finalizedWords;
    private string _lastSegment = string.Empty;

    /// <summary>Everything heard so far.</summary>
    public string Full => string.Join(' ', _heard);

    /// <summary>Takes a new hypothesis of everything heard; returns the partial to send (segment and delta), or null when nothing new.</summary>
    public (string Segment, string Delta)? Hear(string[] words)
    {
        _heard = words;
        var segment = Segment();
        if (segment.Length == 0 || segment == _lastSegment)
        {
            return null;
        }

        var delta = _lastSegment.Length > 0 && segment.StartsWith(_lastSegment + " ", StringComparison.Ordinal)
            ? segment[_lastSegment.Length..]
            : _lastSegment.Length > 0 ? " " + segment : segment;
        _lastSegment = segment;
        return (segment, delta);
    }

    /// <summary>Ends the current segment with the final hypothesis; returns the segment's text.</summary>
    public string Finalize(string[] words)
    {
        _heard = words;
        var segment = Segment();
        _finalizedWords = Math.Max(_finalizedWords, words.Length);
        _lastSegment = string.Empty;
        return segment;
    }

    private string Segment() => _finalizedWords >= _heard.Length ? string.Empty : string.Join(' ', _heard[_finalizedWords..]);
}

/// <summary>16-bit PCM conversions for the recognizer, which wants 16 kHz mono.</summary>
internal static class Pcm16
{
    public const int RecognizerRate = 16_000;

    public static short[] ToRecognizerInput(ReadOnlySpan<byte> pcm, int sampleRate)
    {
        var samples = new short[pcm.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(pcm[(i * 2)..]);
        }

        if (sampleRate == RecognizerRate || sampleRate <= 0 || samples.Length == 0)
        {
            return samples;
        }

        // Linear interpolation: good enough for a test double's recognizer input.
        var outLength = (int)((long)samples.Length * RecognizerRate / sampleRate);
        var resampled = new short[outLength];
        var step = (double)sampleRate / RecognizerRate;
        for (var i = 0; i < outLength; i++)
        {
            var position = i * step;
            var index = (int)position;
            var next = Math.Min(index + 1, samples.Length - 1);
            var fraction = position - index;
            resampled[i] = (short)((samples[index] * (1 - fraction)) + (samples[next] * fraction));
        }

        return resampled;
    }
}
