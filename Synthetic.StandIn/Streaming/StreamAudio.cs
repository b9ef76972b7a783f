namespace Synthetic.StandIn.Streaming;

/// <summary>
/// The audio one session received (capped), and what the stand-in "hears" in it: the fixture lookup (a growing
/// share of the candidate clip's words while audio arrives, the matched clip's words at the end) or the recognizer.
/// </summary>
internal sealed class StreamAudio(StreamingSetup setup, StandInMode mode, int sampleRate)
{
    private readonly Lock _lock = new();
    private byte[] _audio = new byte[64 * 1024];
    private int _length;
    private PcmClip? _candidate;

    public int SampleRate { get; set; } = sampleRate;

    public int Length => Volatile.Read(ref _length);

    public double Seconds => Length / (2.0 * SampleRate);

    /// <summary>Appends; false when the session would exceed <see cref="StreamingSetup.MaxAudioBytes"/>.</summary>
    public bool Append(ReadOnlySpan<byte> pcm)
    {
        lock (_lock)
        {
            if (_length + pcm.Length > StreamingSetup.MaxAudioBytes)
            {
                return false;
            }

            if (_length + pcm.Length > _audio.Length)
            {
                Array.Resize(ref _audio, Math.Max(_audio.Length * 2, _length + pcm.Length));
            }

            pcm.CopyTo(_audio.AsSpan(_length));
            Volatile.Write(ref _length, _length + pcm.Length);
            _candidate ??= setup.Catalog.Candidate(_audio.AsSpan(0, _length));
            return true;
        }
    }

    /// <summary>What was heard so far (<paramref name="final"/>: of the whole stream).</summary>
    public Task<string[]> HearAsync(bool final, CancellationToken cancellationToken) =>
        setup.Recognizer is null ? Task.FromResult(FixtureWords(final)) : DecodeAsync(cancellationToken);

    /// <summary>At least one word of the candidate clip (the delayed first partial must not be empty), else what was heard.</summary>
    public async Task<string[]> HearSomethingAsync(CancellationToken cancellationToken)
    {
        var words = await HearAsync(final: false, cancellationToken);
        return words.Length == 0 && _candidate is { } clip && WordsOf(clip) is { Length: > 0 } all ? all[..1] : words;
    }

    private string[] FixtureWords(bool final)
    {
        lock (_lock)
        {
            if (final)
            {
                return setup.Catalog.Match(_audio.AsSpan(0, _length)) is { } match ? WordsOf(match) : [];
            }

            if (_candidate is not { PcmBytes: > 0 } clip)
            {
                return [];
            }

            var words = WordsOf(clip);
            var share = Math.Min(1.0, (double)_length / clip.PcmBytes);
            return words[..(int)Math.Ceiling(words.Length * share)];
        }
    }

    /// <summary>The clip's words as this session hears them: garbled by the mode, or by a sample rate that is not the audio's.</summary>
    private string[] WordsOf(PcmClip clip) =>
        mode.Name == ModeNames.StreamGarbled || clip.SampleRate != SampleRate
            ? TranscriptionEndpoints.Garble(clip.Clip.Transcript).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : clip.Words;

    private async Task<string[]> DecodeAsync(CancellationToken cancellationToken)
    {
        short[] input;
        lock (_lock)
        {
            input = Pcm16.ToRecognizerInput(_audio.AsSpan(0, _length), SampleRate);
        }

        var text = await setup.Recognizer!.TranscribeAsync(input, cancellationToken);
        if (mode.Name == ModeNames.StreamGarbled)
        {
            text = TranscriptionEndpoints.Garble(text);
        }

        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
