using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Synthetic.StandIn;

/// <summary>The audio and options of one transcription request.</summary>
/// <param name="Fields">Form fields (multipart dialects) or query parameters (raw-body dialects).</param>
internal sealed record TranscriptionInput(byte[] Audio, IReadOnlyDictionary<string, string> Fields)
{
    public string? Field(string name) => Fields.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}

/// <summary>Either the input or why there is none.</summary>
internal sealed record ReadOutcome(TranscriptionInput? Input, TranscriptionFailure? Failure)
{
    public static ReadOutcome Fail(TranscriptionFailure failure) => new(null, failure);
}

/// <summary>Reads request bodies with a size cap: never more than the cap (plus one read buffer) is held.</summary>
internal static class TranscriptionRequestReader
{
    private const int MaxFieldBytes = 64 * 1024;
    private const long MultipartOverheadBytes = 1024 * 1024;
    private const int ReadBufferBytes = 81_920;

    /// <summary>The audio is the whole body (get_text dialects); options come from the query string.</summary>
    public static async Task<ReadOutcome> ReadRawAsync(HttpRequest request, long cap, CancellationToken cancellationToken)
    {
        var audio = await ReadCappedAsync(request.Body, request.ContentLength, cap, cancellationToken);
        if (audio is null)
        {
            return ReadOutcome.Fail(TranscriptionFailure.TooLarge(cap));
        }

        if (audio.Length == 0)
        {
            return ReadOutcome.Fail(TranscriptionFailure.Missing("No audio provided: send the audio file's bytes as the request body"));
        }

        var fields = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        return new ReadOutcome(new TranscriptionInput(audio, fields), null);
    }

    /// <summary>multipart/form-data with the audio in <paramref name="fileField"/> and options as further fields.</summary>
    public static async Task<ReadOutcome> ReadMultipartAsync(HttpRequest request, string fileField, long cap, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return ReadOutcome.Fail(TranscriptionFailure.Missing($"Expected multipart/form-data with the audio file in field '{fileField}'"));
        }

        if (request.ContentLength > cap + MultipartOverheadBytes)
        {
            return ReadOutcome.Fail(TranscriptionFailure.TooLarge(cap));
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return ReadOutcome.Fail(TranscriptionFailure.Missing("multipart/form-data without a boundary"));
        }

        byte[]? audio = null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                var disposition = section.GetContentDispositionHeader();
                var name = disposition is null ? null : HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (string.IsNullOrEmpty(name))
                {
                    continue;
                }

                if (name == fileField)
                {
                    audio = await ReadCappedAsync(section.Body, null, cap, cancellationToken);
                    if (audio is null)
                    {
                        return ReadOutcome.Fail(TranscriptionFailure.TooLarge(cap));
                    }
                }
                else
                {
                    var value = await ReadCappedAsync(section.Body, null, MaxFieldBytes, cancellationToken);
                    if (value is null)
                    {
                        return ReadOutcome.Fail(TranscriptionFailure.Missing($"Form field '{name}' is longer than {MaxFieldBytes} bytes"));
                    }

                    fields[name] = Encoding.UTF8.GetString(value);
                }
            }
        }
        catch (InvalidDataException ex)
        {
            return ReadOutcome.Fail(TranscriptionFailure.Missing("Malformed multipart body: " + ex.Message));
        }

        return audio is { Length: > 0 }
            ? new ReadOutcome(new TranscriptionInput(audio, fields), null)
            : ReadOutcome.Fail(TranscriptionFailure.Missing($"No audio provided: multipart field '{fileField}' is missing or empty"));
    }

    /// <summary>A small JSON body, parsed; null when it is too large or not JSON.</summary>
    public static async Task<JsonDocument?> ReadSmallJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var bytes = await ReadCappedAsync(request.Body, request.ContentLength, MaxFieldBytes, cancellationToken);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The whole stream, or null as soon as it proves longer than <paramref name="cap"/>.</summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream body, long? declaredLength, long cap, CancellationToken cancellationToken)
    {
        if (declaredLength > cap)
        {
            return null;
        }

        using var collected = new MemoryStream(declaredLength is > 0 ? (int)Math.Min(declaredLength.Value, int.MaxValue) : 0);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (collected.Length + read > cap)
                {
                    return null;
                }

                collected.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return collected.ToArray();
    }
}
