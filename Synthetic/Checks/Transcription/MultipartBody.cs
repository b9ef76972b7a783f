using System.Net.Http.Headers;
using System.Text;
using Synthetic.Audio;

namespace Synthetic.Checks.Transcription;

/// <summary>A multipart/form-data body built once into bytes, so a retry re-sends it unchanged.</summary>
internal static class MultipartBody
{
    private const string Boundary = "synthetic-canary-4f1c2b";

    public static MediaTypeHeaderValue ContentType { get; } = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");

    /// <summary>The file part first (named <paramref name="fileField"/>), then the text fields in order.</summary>
    public static byte[] Build(string fileField, Clip clip, params (string Name, string Value)[] fields)
    {
        using var body = new MemoryStream(clip.Bytes.Length + 512);
        body.Write(Encoding.UTF8.GetBytes(
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{fileField}\"; filename=\"{clip.File}\"\r\nContent-Type: audio/wav\r\n\r\n"));
        body.Write(clip.Bytes);
        body.Write("\r\n"u8);
        foreach (var (name, value) in fields)
        {
            body.Write(Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"));
        }

        body.Write(Encoding.UTF8.GetBytes($"--{Boundary}--\r\n"));
        return body.ToArray();
    }
}
