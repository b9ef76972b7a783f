using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Synthetic.StandIn;

/// <summary>The request/response shapes the stand-in speaks (the canary's dialects).</summary>
internal enum Dialect
{
    /// <summary><c>POST /v1/listen</c>, multipart field <c>audio</c>, <c>Token</c> auth.</summary>
    SmallestListen,

    /// <summary><c>POST /api/v1/lightning/get_text</c>, raw body, Pulse-shaped answer.</summary>
    SmallestGetText,

    /// <summary><c>POST /waves/v1/pulse/get_text</c>, raw body, <c>Bearer</c> auth.</summary>
    Pulse,

    /// <summary><c>POST /v1/audio/transcriptions</c>, multipart field <c>file</c>, <c>Bearer</c> auth.</summary>
    OpenAi,
}

/// <summary>
/// A refused transcription, in the self-host terms of asr-api.md (status, <c>code</c>, extra fields);
/// <see cref="DialectResponses"/> renders it in each dialect's own error shape.
/// </summary>
internal sealed record TranscriptionFailure(int StatusCode, string Code, string Message, JsonObject? Extra = null, string? PulseMessage = null)
{
    public static readonly IReadOnlyList<string> SupportedFormats = ["wav", "mp3", "flac", "ogg", "m4a"];

    public static TranscriptionFailure Missing(string message) => new(400, "MISSING_PARAMETER", message);

    public static TranscriptionFailure TooLarge(long capBytes) => new(422, "FILE_TOO_LARGE",
        $"File too large (max {MaxSizeMb(capBytes).ToString(CultureInfo.InvariantCulture)} MB)",
        new JsonObject { ["max_size_mb"] = MaxSizeMb(capBytes) });

    public static TranscriptionFailure InvalidLicense(bool credentialMissing) => new(401, "INVALID_LICENSE", "Invalid license key",
        PulseMessage: credentialMissing ? "Unauthorized: No tokens provided" : "Unauthorized: Invalid token");

    public static TranscriptionFailure LicenseExpired(string message, DateTimeOffset expiresAt) => new(403, "LICENSE_EXPIRED", message,
        new JsonObject { ["expires_at"] = expiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) });

    public static TranscriptionFailure Unavailable(string message, int retryAfterSeconds) => new(503, "SERVICE_UNAVAILABLE", message,
        new JsonObject { ["retry_after"] = retryAfterSeconds });

    public static TranscriptionFailure RateLimited(int retryAfterSeconds) => new(429, "RATE_LIMIT_EXCEEDED", "Rate limit exceeded",
        new JsonObject { ["retry_after"] = retryAfterSeconds });

    public static TranscriptionFailure UnsupportedFormat() => new(415, "UNSUPPORTED_FORMAT", "Unsupported audio format",
        new JsonObject { ["supported_formats"] = new JsonArray([.. SupportedFormats.Select(f => JsonValue.Create(f))]) });

    public static TranscriptionFailure InternalError() => new(500, "INTERNAL_ERROR", "Internal server error");

    private static double MaxSizeMb(long capBytes) => Math.Round(capBytes / (1024.0 * 1024.0), 3);
}

/// <summary>What the simulated model heard.</summary>
internal sealed record RecognitionResult(string Text, double Duration, string Language, double Confidence, long FileSize);

/// <summary>Success and error bodies per dialect.</summary>
internal static class DialectResponses
{
    public static IResult Error(Dialect dialect, TranscriptionFailure failure)
    {
        switch (dialect)
        {
            case Dialect.SmallestListen or Dialect.SmallestGetText:
                // The self-host docs document no body for 500.
                if (failure.StatusCode == 500)
                {
                    return Results.StatusCode(500);
                }

                var body = new JsonObject { ["error"] = failure.Message, ["code"] = failure.Code };
                CopyExtra(failure, body);
                return JsonResults.Json(failure.StatusCode, body);

            case Dialect.Pulse:
                if (failure.StatusCode == 500)
                {
                    return JsonResults.Json(500, new JsonObject { ["error"] = "Internal server error" });
                }

                if (failure.StatusCode == 401)
                {
                    return JsonResults.Json(401, new JsonObject { ["message"] = failure.PulseMessage ?? failure.Message });
                }

                var pulse = new JsonObject { ["status"] = "error", ["message"] = failure.Message };
                CopyExtra(failure, pulse);
                return JsonResults.Json(failure.Code == "FILE_TOO_LARGE" ? 413 : failure.StatusCode, pulse);

            default:
                var error = new JsonObject
                {
                    ["message"] = failure.Message,
                    ["type"] = failure.StatusCode >= 500 ? "server_error" : "invalid_request_error",
                    ["code"] = failure.Code.ToLowerInvariant(),
                };
                CopyExtra(failure, error);
                return JsonResults.Json(failure.Code == "FILE_TOO_LARGE" ? 413 : failure.StatusCode, new JsonObject { ["error"] = error });
        }
    }

    public static IResult Success(Dialect dialect, RecognitionResult recognition, TranscriptionInput input, string requestId) => dialect switch
    {
        Dialect.SmallestListen => Listen(recognition, input, requestId),
        Dialect.SmallestGetText or Dialect.Pulse => PulseShape(recognition, input),
        _ => OpenAi(recognition, input),
    };

    private static IResult Listen(RecognitionResult recognition, TranscriptionInput input, string requestId)
    {
        var text = IsFalse(input.Field("punctuate")) ? StripPunctuation(recognition.Text) : recognition.Text;
        var body = new JsonObject
        {
            ["request_id"] = requestId,
            ["text"] = text,
            ["confidence"] = recognition.Confidence,
            ["duration"] = recognition.Duration,
            ["language"] = recognition.Language,
            ["words"] = Words(text, recognition.Duration),
        };
        if (IsTrue(input.Field("diarize")))
        {
            body["speakers"] = text.Length == 0
                ? new JsonArray()
                : new JsonArray(new JsonObject { ["speaker"] = "SPEAKER_00", ["text"] = text, ["start"] = 0.0, ["end"] = recognition.Duration });
        }

        return JsonResults.Json(200, body);
    }

    private static IResult PulseShape(RecognitionResult recognition, TranscriptionInput input) => JsonResults.Json(200, new JsonObject
    {
        ["status"] = "success",
        ["transcription"] = recognition.Text,
        ["words"] = IsTrue(input.Field("word_timestamps")) ? Words(recognition.Text, recognition.Duration) : new JsonArray(),
        ["utterances"] = new JsonArray(),
        ["metadata"] = new JsonObject { ["duration"] = recognition.Duration, ["fileSize"] = recognition.FileSize },
    });

    private static IResult OpenAi(RecognitionResult recognition, TranscriptionInput input) => (input.Field("response_format") ?? "json") switch
    {
        "text" => Results.Text(recognition.Text, "text/plain", Encoding.UTF8, 200),
        "verbose_json" => JsonResults.Json(200, new JsonObject
        {
            ["task"] = "transcribe",
            ["language"] = recognition.Language,
            ["duration"] = recognition.Duration,
            ["text"] = recognition.Text,
            ["segments"] = new JsonArray(),
        }),
        _ => JsonResults.Json(200, new JsonObject { ["text"] = recognition.Text }),
    };

    /// <summary>Word timings spread evenly over the clip: the stand-in has no aligner.</summary>
    private static JsonArray Words(string text, double duration)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var array = new JsonArray();
        for (var i = 0; i < words.Length; i++)
        {
            array.Add(new JsonObject
            {
                ["word"] = words[i],
                ["start"] = Math.Round(duration * i / words.Length, 3),
                ["end"] = Math.Round(duration * (i + 1) / words.Length, 3),
                ["confidence"] = 0.98,
            });
        }

        return array;
    }

    private static void CopyExtra(TranscriptionFailure failure, JsonObject target)
    {
        if (failure.Extra is null)
        {
            return;
        }

        foreach (var (name, value) in failure.Extra)
        {
            target[name] = value?.DeepClone();
        }
    }

    private static string StripPunctuation(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsPunctuation(c) || c == '\'')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool IsTrue(string? value) => value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    private static bool IsFalse(string? value) => value is not null && (value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0");
}
