using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using NAudio.Wave;

namespace Synthetic.Audio;

/// <summary>One canary clip, loaded and checked once at start-up; its bytes are sent as they are.</summary>
/// <param name="MaxWer">The manifest's per-sample <c>maxWer</c> (null: none); the target's configured MaxWer overrides it.</param>
/// <param name="DegradedWer">The manifest's per-sample <c>degradedWer</c> (null: none); the target's DegradedWer overrides it.</param>
internal sealed record Clip(string Id, string File, string Language, string Transcript, TimeSpan TrueDuration, double RmsDbfs,
    int SampleRate, int Channels, int BitsPerSample, byte[] Bytes, string Sha256, double? MaxWer = null, double? DegradedWer = null)
{
    public bool ExpectsSpeech => !string.IsNullOrWhiteSpace(Transcript);
}

/// <summary>
/// The clips of fixtures/audio/manifest.json. Every configured clip is loaded with NAudio at start-up: its
/// format is checked, its true duration and loudness measured, and its bytes kept in memory, so a canary
/// run does no disk I/O. A missing, corrupt or (when speech is expected) silent clip is a configuration error.
/// </summary>
internal sealed class ClipLibrary
{
    /// <summary>Below this RMS level a clip that should contain speech is considered silent.</summary>
    public const double SilenceDbfs = -50;

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private readonly Dictionary<string, Clip> _clips;

    private ClipLibrary(Dictionary<string, Clip> clips, string folder)
    {
        _clips = clips;
        Folder = folder;
    }

    public string Folder { get; }

    public IReadOnlyCollection<Clip> Clips => _clips.Values;

    public Clip this[string id] => _clips[id];

    public bool Contains(string id) => _clips.ContainsKey(id);

    public static string DefaultFolder => Path.Combine(AppContext.BaseDirectory, "fixtures", "audio");

    /// <summary>Loads the clips named in <paramref name="required"/>; errors name the key that asked for each clip.</summary>
    public static (ClipLibrary? Library, List<string> Errors) Load(string folder, IReadOnlyDictionary<string, string> required)
    {
        var errors = new List<string>();
        var manifestPath = Path.Combine(folder, "manifest.json");
        Manifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllBytes(manifestPath), JsonOptions);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            errors.Add($"Synthetic:FixturesPath: cannot read {manifestPath} ({ex.GetType().Name}: {ex.Message.Split('\n')[0]}).");
            return (null, errors);
        }

        var entries = (manifest?.Clips ?? []).Where(c => !string.IsNullOrWhiteSpace(c.Id)).GroupBy(c => c.Id!).ToDictionary(g => g.Key, g => g.First());
        var clips = new Dictionary<string, Clip>(StringComparer.Ordinal);
        foreach (var (id, key) in required)
        {
            if (clips.ContainsKey(id))
            {
                continue;
            }

            // <id>@<variant>: the base clip, then the variant built from it in memory.
            var (baseId, variant) = AudioVariants.Split(id);
            if (variant is not null && !AudioVariants.IsKnown(variant))
            {
                errors.Add($"{key}: sample '{id}' names an unknown audio variant '{variant}' (known: {string.Join(", ", AudioVariants.Names)}).");
                continue;
            }

            if (!entries.TryGetValue(baseId, out var entry))
            {
                errors.Add($"{key}: sample '{baseId}' is not in {manifestPath} (known: {string.Join(", ", entries.Keys.Order())}).");
                continue;
            }

            var clip = clips.GetValueOrDefault(baseId) ?? LoadClip(folder, entry, key, errors);
            if (clip is not null)
            {
                var own = variant is null ? null : entry.Variants?.GetValueOrDefault(variant);
                clips[id] = variant is null ? clip : AudioVariants.Derive(clip, variant, own?.MaxWer, own?.DegradedWer);
            }
        }

        return (errors.Count == 0 ? new ClipLibrary(clips, folder) : null, errors);
    }

    private static Clip? LoadClip(string folder, ManifestClip entry, string key, List<string> errors)
    {
        var path = Path.Combine(folder, entry.File ?? string.Empty);
        byte[] bytes;
        try
        {
            bytes = System.IO.File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            errors.Add($"{key}: clip '{entry.Id}' file {path} cannot be read ({ex.GetType().Name}).");
            return null;
        }

        try
        {
            using var reader = new WaveFileReader(new MemoryStream(bytes, writable: false));
            var format = reader.WaveFormat;
            if (format.Encoding != WaveFormatEncoding.Pcm || format.BitsPerSample != 16)
            {
                errors.Add($"{key}: clip '{entry.Id}' must be 16-bit PCM WAV (is {format.Encoding}, {format.BitsPerSample}-bit).");
                return null;
            }

            if (format.SampleRate < 16000 || format.Channels is < 1 or > 2)
            {
                errors.Add($"{key}: clip '{entry.Id}' must be at least 16 kHz, mono or stereo (is {format.SampleRate} Hz, {format.Channels} channels).");
                return null;
            }

            var duration = reader.TotalTime;
            if (duration <= TimeSpan.Zero)
            {
                errors.Add($"{key}: clip '{entry.Id}' holds no audio.");
                return null;
            }

            var rms = MeasureRmsDbfs(reader);
            var transcript = entry.Transcript ?? string.Empty;
            if (!string.IsNullOrWhiteSpace(transcript) && rms < SilenceDbfs)
            {
                errors.Add($"{key}: clip '{entry.Id}' is silent ({rms:F1} dBFS) but its manifest expects speech.");
                return null;
            }

            if (entry.Duration is { } declared && declared > 0 && Math.Abs(declared - duration.TotalSeconds) > 0.05 * duration.TotalSeconds)
            {
                errors.Add($"{key}: clip '{entry.Id}' lasts {duration.TotalSeconds:F3} s but the manifest says {declared:F3} s.");
                return null;
            }

            if (entry.MaxWer is { } max && (double.IsNaN(max) || max is < 0 or > 10))
            {
                errors.Add($"{key}: clip '{entry.Id}' has maxWer {max:F2} in the manifest; expected 0 to 10.");
                return null;
            }

            if (entry.DegradedWer is { } degradedWer && (double.IsNaN(degradedWer) || degradedWer < 0 || degradedWer > (entry.MaxWer ?? 10)))
            {
                errors.Add($"{key}: clip '{entry.Id}' has degradedWer {degradedWer:F2} in the manifest; expected 0 to its maxWer.");
                return null;
            }

            return new Clip(entry.Id!, entry.File!, entry.Language ?? "en", transcript, duration, rms, format.SampleRate, format.Channels,
                format.BitsPerSample, bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)), entry.MaxWer, entry.DegradedWer);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or EndOfStreamException or ArgumentException or IOException)
        {
            errors.Add($"{key}: clip '{entry.Id}' ({path}) is not a readable WAV file ({ex.Message.Split('\n')[0]}).");
            return null;
        }
    }

    /// <summary>Root-mean-square level of 16-bit PCM in dB relative to full scale.</summary>
    internal static double MeasureRmsDbfs(WaveStream reader)
    {
        reader.Position = 0;
        var buffer = new byte[64 * 1024];
        double sumSquares = 0;
        long samples = 0;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i + 1 < read; i += 2)
            {
                var sample = BitConverter.ToInt16(buffer, i) / 32768.0;
                sumSquares += sample * sample;
                samples++;
            }
        }

        if (samples == 0 || sumSquares == 0)
        {
            return double.NegativeInfinity;
        }

        return 20 * Math.Log10(Math.Sqrt(sumSquares / samples));
    }

    private sealed class Manifest
    {
        [JsonPropertyName("clips")]
        public List<ManifestClip>? Clips { get; set; }
    }

    private sealed class ManifestClip
    {
        public string? Id { get; set; }

        public string? File { get; set; }

        public string? Language { get; set; }

        public string? Transcript { get; set; }

        public double? Duration { get; set; }

        public double? MaxWer { get; set; }

        public double? DegradedWer { get; set; }

        /// <summary>Per audio variant (<c>telephony</c>, <c>noisy</c>, <c>44k</c>), thresholds replacing the clip's own.</summary>
        public Dictionary<string, VariantThresholds>? Variants { get; set; }
    }

    private sealed class VariantThresholds
    {
        public double? MaxWer { get; set; }

        public double? DegradedWer { get; set; }
    }
}
