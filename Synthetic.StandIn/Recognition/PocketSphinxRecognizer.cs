using System.Runtime.InteropServices;

namespace Synthetic.StandIn.Recognition;

/// <summary>
/// A real recognizer: Debian's pocketsphinx with its en-us model (packages <c>pocketsphinx</c>,
/// <c>pocketsphinx-en-us</c>), loaded once; one decoder, so utterances are decoded one at a time.
/// </summary>
internal sealed class PocketSphinxRecognizer : IRecognizer
{
    /// <summary>What to install when the library or the model is missing.</summary>
    public const string InstallHint = "apt-get install pocketsphinx pocketsphinx-en-us";

    public const string DefaultModelFolder = "/usr/share/pocketsphinx/model/en-us";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IntPtr _decoder;

    private PocketSphinxRecognizer(IntPtr decoder) => _decoder = decoder;

    /// <summary>Loads the model (about a second); throws <see cref="FileNotFoundException"/> naming the package to install.</summary>
    public static PocketSphinxRecognizer Load(string modelFolder = DefaultModelFolder)
    {
        string[] files = ["en-us", "en-us.lm.bin", "cmudict-en-us.dict"];
        foreach (var file in files)
        {
            var path = Path.Combine(modelFolder, file);
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new FileNotFoundException($"pocketsphinx model file '{path}' not found; install it with: {InstallHint}", path);
            }
        }

        string[] argv =
        [
            "-hmm", Path.Combine(modelFolder, files[0]),
            "-lm", Path.Combine(modelFolder, files[1]),
            "-dict", Path.Combine(modelFolder, files[2]),
            // Caps on the search (active HMMs per frame, phone-loop lookahead): the same transcripts on the fixtures,
            // a third less CPU, and garbage audio (wrong-sample-rate) no longer decodes several times slower.
            "-maxhmmpf", "3000",
            "-pl_window", "10",
            // No noise tracking and no voice-activity detection: both carry state from one utterance to the
            // next, so the same clip came back differently depending on what was decoded before (a flapping
            // canary). Silence is recognized by level instead (SilenceDbfs).
            "-remove_noise", "no",
            "-remove_silence", "no",
            "-logfn", "/dev/null",
        ];
        IntPtr config;
        try
        {
            config = PocketSphinxNative.ParseConfig(IntPtr.Zero, PocketSphinxNative.Args(), argv.Length, argv, 1);
        }
        catch (DllNotFoundException ex)
        {
            throw new FileNotFoundException($"libpocketsphinx.so.3 could not be loaded ({ex.Message.Split('\n')[0]}); install it with: {InstallHint}", ex);
        }

        if (config == IntPtr.Zero)
        {
            throw new InvalidDataException($"pocketsphinx rejected its configuration for the model in '{modelFolder}'.");
        }

        try
        {
            var decoder = PocketSphinxNative.Init(config);
            return decoder == IntPtr.Zero
                ? throw new InvalidDataException($"pocketsphinx could not load the model in '{modelFolder}'; reinstall it with: {InstallHint}")
                : new PocketSphinxRecognizer(decoder);
        }
        finally
        {
            // The decoder holds its own reference to the configuration.
            _ = PocketSphinxNative.FreeConfig(config);
        }
    }

    /// <summary>Audio whose RMS level is below this (dBFS) is heard as silence without decoding (pocketsphinx would hallucinate a word).</summary>
    public const double SilenceDbfs = -50;

    public async Task<string> TranscribeAsync(ReadOnlyMemory<short> pcm16kMono, CancellationToken cancellationToken)
    {
        if (RmsDbfs(pcm16kMono.Span) < SilenceDbfs)
        {
            return string.Empty;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_decoder == IntPtr.Zero, this);
            // Native decoding blocks its thread (a fraction of the audio's duration): off the request's thread.
            return await Task.Run(() => Decode(_decoder, pcm16kMono, cancellationToken), CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            if (_decoder != IntPtr.Zero)
            {
                _ = PocketSphinxNative.Free(_decoder);
                _decoder = IntPtr.Zero;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    internal static double RmsDbfs(ReadOnlySpan<short> pcm)
    {
        double sumSquares = 0;
        foreach (var sample in pcm)
        {
            sumSquares += (double)sample * sample;
        }

        return pcm.IsEmpty || sumSquares == 0 ? double.NegativeInfinity : 20 * Math.Log10(Math.Sqrt(sumSquares / pcm.Length) / 32768.0);
    }

    private static unsafe string Decode(IntPtr decoder, ReadOnlyMemory<short> pcm, CancellationToken cancellationToken)
    {
        // A client that gave up while this request queued for the decoder: do not decode for nobody.
        cancellationToken.ThrowIfCancellationRequested();
        if (PocketSphinxNative.StartUtterance(decoder) < 0)
        {
            throw new InvalidOperationException("pocketsphinx: ps_start_utt failed.");
        }

        if (!pcm.IsEmpty)
        {
            // One call with full_utt = 1: cepstral mean normalization over the whole utterance. Fed in blocks
            // (full_utt = 0, live normalization) the fixtures come back markedly worse (second-voice 0 -> 55 % WER).
            fixed (short* data = pcm.Span)
            {
                if (PocketSphinxNative.ProcessRaw(decoder, data, (nuint)pcm.Length, 0, 1) < 0)
                {
                    _ = PocketSphinxNative.EndUtterance(decoder);
                    throw new InvalidOperationException("pocketsphinx: ps_process_raw failed.");
                }
            }
        }

        if (PocketSphinxNative.EndUtterance(decoder) < 0)
        {
            throw new InvalidOperationException("pocketsphinx: ps_end_utt failed.");
        }

        var hypothesis = PocketSphinxNative.Hypothesis(decoder, out _);
        return hypothesis == IntPtr.Zero ? string.Empty : (Marshal.PtrToStringUTF8(hypothesis) ?? string.Empty).Trim();
    }
}
