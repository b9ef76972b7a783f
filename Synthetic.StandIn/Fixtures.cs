using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json;

namespace Synthetic.StandIn;

/// <summary>One clip of <c>manifest.json</c>: what the stand-in answers when it receives that clip's bytes.</summary>
internal sealed record FixtureClip(string Id, string File, string Language, string Transcript, double Duration);

/// <summary>The fixture clips, recognized by the SHA-256 of their full file bytes.</summary>
internal sealed class FixtureCatalog
{
    public const string ManifestFileName = "manifest.json";

    private readonly FrozenDictionary<string, FixtureClip> _byHash;

    private FixtureCatalog(FrozenDictionary<string, FixtureClip> byHash) => _byHash = byHash;

    public IReadOnlyCollection<FixtureClip> Clips => _byHash.Values;

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "fixtures", "audio");

    public static FixtureCatalog Load(string directory)
    {
        var manifestPath = Path.Combine(directory, ManifestFileName);
        if (!System.IO.File.Exists(manifestPath))
        {
            throw new FileNotFoundException(
                $"Stand-in fixtures not found: '{manifestPath}' does not exist. Pass FixturesPath (--fixtures) " +
                "pointing at a folder with manifest.json and its clips, e.g. the repository's fixtures/audio.", manifestPath);
        }

        using var manifest = JsonDocument.Parse(System.IO.File.ReadAllBytes(manifestPath));
        if (!manifest.RootElement.TryGetProperty("clips", out var clips) || clips.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"'{manifestPath}' has no \"clips\" array.");
        }

        var byHash = new Dictionary<string, FixtureClip>(StringComparer.Ordinal);
        foreach (var entry in clips.EnumerateArray())
        {
            var id = RequiredString(entry, "id", manifestPath);
            var file = RequiredString(entry, "file", manifestPath);
            var transcript = RequiredString(entry, "transcript", manifestPath);
            var language = entry.TryGetProperty("language", out var lang) && lang.ValueKind == JsonValueKind.String
                ? lang.GetString()!
                : "en";
            var clipPath = Path.Combine(directory, file);
            if (!System.IO.File.Exists(clipPath))
            {
                throw new FileNotFoundException($"Clip '{id}' of '{manifestPath}' names '{file}', which does not exist.", clipPath);
            }

            var bytes = System.IO.File.ReadAllBytes(clipPath);
            var duration = entry.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.Number
                ? d.GetDouble()
                : WavHeader.TryGetDuration(bytes) ?? 0;
            // Two ids with identical audio would be ambiguous; the first one wins, like a real model's one answer.
            byHash.TryAdd(Hash(bytes), new FixtureClip(id, file, language, transcript, duration));
        }

        return new FixtureCatalog(byHash.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public FixtureClip? Match(ReadOnlySpan<byte> audio) => _byHash.GetValueOrDefault(Hash(audio));

    private static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    private static string RequiredString(JsonElement entry, string name, string manifestPath) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"A clip in '{manifestPath}' lacks the string field \"{name}\".");
}

/// <summary>Just enough RIFF/WAVE parsing to tell the duration of unknown audio.</summary>
internal static class WavHeader
{
    public static double? TryGetDuration(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            return null;
        }

        uint byteRate = 0;
        var offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = bytes.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(offset + 4, 4));
            var body = offset + 8;
            if (id.SequenceEqual("fmt "u8) && size >= 16 && body + 16 <= bytes.Length)
            {
                byteRate = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(body + 8, 4));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (byteRate == 0)
                {
                    return null;
                }

                // Streamed WAVs carry a placeholder size: fall back to what is actually there.
                long available = bytes.Length - body;
                var dataBytes = Math.Min(size, available);
                return (double)dataBytes / byteRate;
            }

            var next = (long)body + size + (size & 1);
            if (next > bytes.Length)
            {
                return null;
            }

            offset = (int)next;
        }

        return null;
    }
}
