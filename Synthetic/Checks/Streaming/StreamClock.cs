namespace Synthetic.Checks.Streaming;

/// <summary>The instants of one stream, as TimeProvider timestamps (0 = not yet); written by the sender and the reader.</summary>
internal sealed class StreamClock(TimeProvider time)
{
    private long _firstAudio;
    private long _lastAudio;
    private long _firstTranscript;
    private long _final;

    public int FramesSent;

    public bool AllAudioSent => Interlocked.Read(ref _lastAudio) != 0;

    public void FirstAudio() => Interlocked.CompareExchange(ref _firstAudio, time.GetTimestamp(), 0);

    public void LastAudio() => Interlocked.Exchange(ref _lastAudio, time.GetTimestamp());

    public void Transcript() => Interlocked.CompareExchange(ref _firstTranscript, time.GetTimestamp(), 0);

    public void Final() => Interlocked.Exchange(ref _final, time.GetTimestamp());

    /// <summary>First audio frame → first non-empty transcript.</summary>
    public TimeSpan? TimeToFirstTranscript => Between(Interlocked.Read(ref _firstAudio), Interlocked.Read(ref _firstTranscript));

    /// <summary>Last audio frame → final transcript.</summary>
    public TimeSpan? FinalizeLatency => Between(Interlocked.Read(ref _lastAudio), Interlocked.Read(ref _final));

    public TimeSpan? SinceLastAudio => Interlocked.Read(ref _lastAudio) is var last and not 0 ? time.GetElapsedTime(last) : null;

    private TimeSpan? Between(long a, long b)
    {
        if (a == 0 || b == 0)
        {
            return null;
        }

        var elapsed = time.GetElapsedTime(a, b);
        return elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed;
    }
}
