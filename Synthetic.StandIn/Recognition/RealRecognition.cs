namespace Synthetic.StandIn.Recognition;

/// <summary>What was heard in one upload, before the dialect shapes the answer.</summary>
internal sealed record Heard(string Text, double Duration);

/// <summary>
/// The recognition faults a scoring canary alone can see (every answer 200 OK). With a real recognizer they
/// alter the audio before decoding; with the fixture hash lookup they alter the manifest transcript alike.
/// </summary>
internal static class RealRecognition
{
    /// <summary>Decodes the upload, applies the mode's audio fault, and runs the real recognizer.</summary>
    public static async Task<Heard> HearAsync(IRecognizer recognizer, byte[] upload, string mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        if (RecognizerAudio.TryDecodeWav(upload) is not { } audio)
        {
            // Not a WAV the stand-in can read: heard as nothing, like unknown audio on the hash path.
            return new Heard(string.Empty, WavHeader.TryGetDuration(upload) ?? 0);
        }

        var pcm = RecognizerAudio.To16kPcm(Alter(audio, mode));
        var text = await recognizer.TranscribeAsync(pcm, cancellationToken);
        return new Heard(text, audio.DurationSeconds);
    }

    /// <summary>The hash path's version of the same faults, applied to the manifest transcript.</summary>
    public static string AlterTranscript(string transcript, string mode)
    {
        switch (mode)
        {
            case ModeNames.WrongSampleRate:
                return TranscriptionEndpoints.Garble(transcript);
            case ModeNames.Truncated:
                var words = transcript.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return string.Join(' ', words.Take(words.Length / 2));
            case ModeNames.SilenceDecoder:
                return string.Empty;
            default:
                return transcript;
        }
    }

    /// <summary>
    /// <c>wrong-sample-rate</c>: the samples are taken to be at half their rate (the server that does not
    /// resample), so the recognizer hears them twice as slow and an octave low; <c>truncated</c>: the first
    /// half only; <c>silence-decoder</c>: as many samples of digital silence.
    /// </summary>
    internal static MonoAudio Alter(MonoAudio audio, string mode) => mode switch
    {
        ModeNames.WrongSampleRate => audio with { SampleRate = Math.Max(1, audio.SampleRate / 2) },
        ModeNames.Truncated => audio with { Samples = audio.Samples[..(audio.Samples.Length / 2)] },
        ModeNames.SilenceDecoder => audio with { Samples = new float[audio.Samples.Length] },
        _ => audio,
    };
}
