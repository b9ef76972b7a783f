namespace Synthetic.StandIn;

/// <summary>
/// The four transcription dialects. Order of checks: read the body (capped), then auth, then the request's
/// own problems, then the mode's simulated fault, then the (possibly altered) recognition.
/// </summary>
internal static class TranscriptionEndpoints
{
    public const string RequestIdHeader = "x-request-id";

    private static readonly string[] TokenOnly = [AuthSchemes.Token];
    private static readonly string[] TokenOrBearer = [AuthSchemes.Token, AuthSchemes.Bearer];
    private static readonly string[] BearerOnly = [AuthSchemes.Bearer];
    private static readonly string[] OpenAiResponseFormats = ["json", "text", "verbose_json"];

    public static void Map(IEndpointRouteBuilder app, StandInState state)
    {
        app.MapPost("/v1/listen", context => RespondAsync(state, context, Dialect.SmallestListen));
        app.MapPost("/api/v1/lightning/get_text", context => RespondAsync(state, context, Dialect.SmallestGetText));
        app.MapPost("/waves/v1/pulse/get_text", context => RespondAsync(state, context, Dialect.Pulse));
        app.MapPost("/v1/audio/transcriptions", context => RespondAsync(state, context, Dialect.OpenAi));
    }

    private static async Task RespondAsync(StandInState state, HttpContext context, Dialect dialect)
    {
        var result = await HandleAsync(state, context, dialect);
        await result.ExecuteAsync(context);
    }

    private static async Task<IResult> HandleAsync(StandInState state, HttpContext context, Dialect dialect)
    {
        var auth = AuthHeader.Parse(context.Request.Headers.Authorization);
        state.Stats.RecordTranscription(auth.Scheme);
        var requestId = state.NextRequestId();
        var incomingId = context.Request.Headers["X-Request-ID"].ToString();
        context.Response.Headers[RequestIdHeader] = string.IsNullOrEmpty(incomingId) ? requestId : incomingId;

        ReadOutcome read;
        try
        {
            read = await ReadAsync(dialect, context.Request, state.MaxBodyBytes, context.RequestAborted);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            context.Abort();
            return Results.Empty;
        }

        var failure = Authorize(state, auth, dialect) ?? read.Failure ?? ModeFailure(state);
        if (failure is not null)
        {
            return DialectResponses.Error(dialect, failure);
        }

        var mode = state.Mode;
        if (mode.Name == ModeNames.SlowTranscription
            && !await state.WaitAsync(TimeSpan.FromMilliseconds(mode.DelayMs), context.RequestAborted))
        {
            context.Abort();
            return Results.Empty;
        }

        var input = read.Input!;
        return DialectResponses.Success(dialect, Recognize(state, input, mode), input, requestId);
    }

    private static async Task<ReadOutcome> ReadAsync(Dialect dialect, HttpRequest request, long cap, CancellationToken cancellationToken)
    {
        switch (dialect)
        {
            case Dialect.SmallestListen when request.HasJsonContentType():
                using (var json = await TranscriptionRequestReader.ReadSmallJsonAsync(request, cancellationToken))
                {
                    var hasUrl = json is { RootElement.ValueKind: System.Text.Json.JsonValueKind.Object }
                                 && json.RootElement.TryGetProperty("url", out _);
                    return ReadOutcome.Fail(TranscriptionFailure.Missing(hasUrl
                        ? "url input not supported by stand-in"
                        : "Missing audio: send multipart/form-data with field 'audio' or JSON with 'url'"));
                }

            case Dialect.SmallestListen:
                var listen = await TranscriptionRequestReader.ReadMultipartAsync(request, "audio", cap, cancellationToken);
                return listen.Input?.Field("callback_url") is not null
                    ? ReadOutcome.Fail(TranscriptionFailure.Missing("callback_url (asynchronous transcription) not supported by stand-in"))
                    : listen;

            case Dialect.OpenAi:
                var openAi = await TranscriptionRequestReader.ReadMultipartAsync(request, "file", cap, cancellationToken);
                if (openAi.Input is { } input)
                {
                    if (input.Field("model") is null)
                    {
                        return ReadOutcome.Fail(TranscriptionFailure.Missing("model is required"));
                    }

                    if (input.Field("response_format") is { } format && !OpenAiResponseFormats.Contains(format))
                    {
                        return ReadOutcome.Fail(TranscriptionFailure.Missing($"response_format '{format}' not supported by stand-in"));
                    }
                }

                return openAi;

            default:
                return await TranscriptionRequestReader.ReadRawAsync(request, cap, cancellationToken);
        }
    }

    private static TranscriptionFailure? Authorize(StandInState state, AuthHeader auth, Dialect dialect)
    {
        if (state.LicenseKey is null)
        {
            return null;
        }

        var accepted = dialect switch
        {
            Dialect.SmallestListen => TokenOnly,
            Dialect.SmallestGetText => TokenOrBearer,
            _ => BearerOnly,
        };
        if (auth.Carries(state.LicenseKey, accepted))
        {
            return null;
        }

        state.Stats.RecordWrongKey();
        return TranscriptionFailure.InvalidLicense(credentialMissing: string.IsNullOrEmpty(auth.Credential));
    }

    private static TranscriptionFailure? ModeFailure(StandInState state)
    {
        var mode = state.Mode;
        var expiredAt = state.TimeProvider.GetUtcNow().AddDays(-1);
        return mode.Name switch
        {
            ModeNames.Unhealthy => TranscriptionFailure.Unavailable(HealthEndpoints.UnhealthyReason, mode.RetryAfterSeconds),
            ModeNames.Unavailable => TranscriptionFailure.Unavailable("Service temporarily unavailable", mode.RetryAfterSeconds),
            ModeNames.ComponentDown => TranscriptionFailure.LicenseExpired("License could not be validated: license proxy unreachable", expiredAt),
            ModeNames.LicenseExpired => TranscriptionFailure.LicenseExpired("License expired", expiredAt),
            ModeNames.Auth401 => TranscriptionFailure.InvalidLicense(credentialMissing: false),
            ModeNames.RateLimited => TranscriptionFailure.RateLimited(mode.RetryAfterSeconds),
            ModeNames.UnsupportedFormat => TranscriptionFailure.UnsupportedFormat(),
            ModeNames.FalsePositive => TranscriptionFailure.InternalError(),
            _ => null,
        };
    }

    private static RecognitionResult Recognize(StandInState state, TranscriptionInput input, StandInMode mode)
    {
        var clip = state.Fixtures.Match(input.Audio);
        var text = clip?.Transcript ?? string.Empty;
        var duration = clip?.Duration ?? WavHeader.TryGetDuration(input.Audio) ?? 0;
        switch (mode.Name)
        {
            case ModeNames.WrongTranscript:
                text = Garble(text);
                break;
            case ModeNames.EmptyTranscript:
                text = string.Empty;
                break;
            case ModeNames.WrongDuration:
                duration *= 2;
                break;
        }

        var language = input.Field("language") ?? clip?.Language ?? "en";
        return new RecognitionResult(text, Math.Round(duration, 3), language, text.Length == 0 ? 0.0 : 0.95, input.Audio.LongLength);
    }

    /// <summary>Every third word becomes "banana" (the last word when there are fewer than three): deterministic.</summary>
    internal static string Garble(string transcript)
    {
        var words = transcript.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return transcript;
        }

        if (words.Length < 3)
        {
            words[^1] = "banana";
        }

        for (var i = 2; i < words.Length; i += 3)
        {
            words[i] = "banana";
        }

        return string.Join(' ', words);
    }
}
