using System.Text;

namespace Synthetic.Probing;

internal static class TextSnippet
{
    /// <summary>A short single-line printable excerpt of untrusted text, for details only (never for labels).</summary>
    public static string Of(string? text, int max = 160)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(text.Length, max + 1));
        foreach (var c in text)
        {
            if (builder.Length >= max)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }

    public static string Of(byte[] body, int max = 160) => Of(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, max * 4)), max);
}
