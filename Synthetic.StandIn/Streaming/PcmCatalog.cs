using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Synthetic.StandIn.Streaming;

/// <summary>A fixture clip as a stream sees it: mono 16-bit PCM at the clip's own rate.</summary>
internal sealed record PcmClip(FixtureClip Clip, int SampleRate, int PcmBytes)
{
    public string[] Words { get; } = Clip.Transcript.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// Recognizes streamed fixture audio: by the SHA-256 of the whole PCM once the stream is over (like batch does
/// with the whole WAV file), and while audio arrives by a hash of its first <see cref="PrefixBytes"/>, so partials
/// can grow with the share of the clip received. Stereo clips are mixed down the way the monitor sends them.
/// </summary>
internal sealed class PcmCatalog
{
    /// <summary>100 ms at 16 kHz: enough to tell the clips apart, small enough for the first partial.</summary>
    public const int PrefixBytes = 3200;

    private readonly FrozenDictionary<string, PcmClip> _byHash;
    private readonly FrozenDictionary<string, PcmClip> _byPrefix;

    private PcmCatalog(FrozenDictionary<string, PcmClip> byHash, FrozenDictionary<string, PcmClip> byPrefix)
    {
        _byHash = byHash;
        _byPrefix = byPrefix;
    }

    public static PcmCatalog Empty { get; } = new(FrozenDictionary<string, PcmClip>.Empty, FrozenDictionary<string, PcmClip>.Empty);

    public int Count => _byHash.Count;

    public static PcmCatalog Load(string directory, IEnumerable<FixtureClip> clips)
    {
        var byHash = new Dictionary<string, PcmClip>(StringComparer.Ordinal);
        var byPrefix = new Dictionary<string, PcmClip>(StringComparer.Ordinal);
        foreach (var clip in clips)
        {
            if (ReadMonoPcm(File.ReadAllBytes(Path.Combine(directory, clip.File))) is not var (pcm, rate))
            {
                continue;
            }

            var entry = new PcmClip(clip, rate, pcm.Length);
            byHash.TryAdd(Hash(pcm), entry);
            if (pcm.Length >= PrefixBytes)
            {
                byPrefix.TryAdd(Hash(pcm.AsSpan(0, PrefixBytes)), entry);
            }
        }

        return new PcmCatalog(byHash.ToFrozenDictionary(StringComparer.Ordinal), byPrefix.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The clip whose whole PCM this is, or null.</summary>
    public PcmClip? Match(ReadOnlySpan<byte> pcm) => _byHash.GetValueOrDefault(Hash(pcm));

    /// <summary>The clip this stream seems to be, from its first bytes; null while too little arrived or for unknown audio.</summary>
    public PcmClip? Candidate(ReadOnlySpan<byte> pcmSoFar) =>
        pcmSoFar.Length < PrefixBytes ? null : _byPrefix.GetValueOrDefault(Hash(pcmSoFar[..PrefixBytes]));

    /// <summary>The data chunk of a 16-bit PCM WAV as mono (stereo averaged per frame), with its rate; null for other formats.</summary>
    internal static (byte[] Pcm, int SampleRate)? ReadMonoPcm(ReadOnlySpan<byte> wav)
    {
        if (wav.Length < 12 || !wav[..4].SequenceEqual("RIFF"u8) || !wav.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            return null;
        }

        int channels = 0, rate = 0, bits = 0, format = 0;
        var offset = 12;
        while (offset + 8 <= wav.Length)
        {
            var id = wav.Slice(offset, 4);
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(wav.Slice(offset + 4, 4)), (uint)(wav.Length - offset - 8));
            var body = wav.Slice(offset + 8, size);
            if (id.SequenceEqual("fmt "u8) && size >= 16)
            {
                format = BinaryPrimitives.ReadUInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format != 1 || bits != 16 || channels is < 1 or > 2)
                {
                    return null;
                }

                return (channels == 1 ? body.ToArray() : MixDown(body), rate);
            }

            offset += 8 + size + (size & 1);
        }

        return null;
    }

    /// <summary>Interleaved stereo to mono: (left + right) / 2, the monitor's formula.</summary>
    internal static byte[] MixDown(ReadOnlySpan<byte> stereo)
    {
        var frames = stereo.Length / 4;
        var mono = new byte[frames * 2];
        for (var i = 0; i < frames; i++)
        {
            var left = BinaryPrimitives.ReadInt16LittleEndian(stereo[(i * 4)..]);
            var right = BinaryPrimitives.ReadInt16LittleEndian(stereo[((i * 4) + 2)..]);
            BinaryPrimitives.WriteInt16LittleEndian(mono.AsSpan(i * 2), (short)((left + right) >> 1));
        }

        return mono;
    }

    private static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes));
}
