namespace Synthetic.Probing;

/// <summary>Removes a target's secret from any text before it reaches logs, metrics or /status.</summary>
internal sealed class Redactor(string? secret)
{
    private const string Mask = "***";

    public string Apply(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        return string.IsNullOrEmpty(secret) || secret.Length < 4 ? text : text.Replace(secret, Mask, StringComparison.Ordinal);
    }
}
