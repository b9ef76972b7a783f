using NAudio.Wave;
using Synthetic.Audio;

namespace Synthetic.Checks.Streaming;

/// <summary>
/// A clip cut into wire-ready frames of ChunkDuration, once at start-up: mono 16-bit PCM at the clip's own rate
/// (stereo mixed down as (left + right) / 2), each frame already encoded by the dialect (binary or base64 JSON).
/// </summary>
internal sealed record StreamAudioFrames(Clip Clip, int SampleRate, IReadOnlyList<StreamFrame> Frames, IReadOnlyList<TimeSpan> Offsets,
    TimeSpan AudioDuration)
{
    public static StreamAudioFrames Prepare(Clip clip, TimeSpan chunkDuration, IStreamingDialect dialect)
    {
        var pcm = MonoPcm(clip);
        var rate = clip.SampleRate;
        var bytesPerSecond = rate * 2;
        var chunkBytes = Math.Max(2, (int)(bytesPerSecond * chunkDuration.TotalSeconds) & ~1);
        var frames = new List<StreamFrame>((pcm.Length / chunkBytes) + 1);
        var offsets = new List<TimeSpan>(frames.Capacity);
        for (var offset = 0; offset < pcm.Length; offset += chunkBytes)
        {
            offsets.Add(TimeSpan.FromSeconds((double)offset / bytesPerSecond));
            frames.Add(dialect.EncodeAudio(pcm.AsSpan(offset, Math.Min(chunkBytes, pcm.Length - offset))));
        }

        return new StreamAudioFrames(clip, rate, frames, offsets, TimeSpan.FromSeconds((double)pcm.Length / bytesPerSecond));
    }

    /// <summary>The clip's PCM data as mono 16-bit samples (little-endian bytes).</summary>
    internal static byte[] MonoPcm(Clip clip)
    {
        using var reader = new WaveFileReader(new MemoryStream(clip.Bytes, writable: false));
        var data = new byte[reader.Length];
        var read = 0;
        while (read < data.Length && reader.Read(data, read, data.Length - read) is var n && n > 0)
        {
            read += n;
        }

        if (reader.WaveFormat.Channels == 1)
        {
            return read == data.Length ? data : data[..read];
        }

        var frames = read / 4;
        var mono = new byte[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            var left = BitConverter.ToInt16(data, i * 4);
            var right = BitConverter.ToInt16(data, (i * 4) + 2);
            BitConverter.TryWriteBytes(mono.AsSpan(i * 2), (short)((left + right) >> 1));
        }

        return mono;
    }
}
