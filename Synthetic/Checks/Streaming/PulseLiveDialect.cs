using Synthetic.Configuration;

namespace Synthetic.Checks.Streaming;

/// <summary>
/// Smallest's cloud <c>/waves/v1/stt/live?model=pulse&amp;language=…&amp;sample_rate=…&amp;encoding=linear16</c>, Bearer auth;
/// the same messages as <see cref="SmallestStreamDialect"/>. The server does not resample: the rate sent is the clip's.
/// </summary>
internal sealed class PulseLiveDialect : SmallestStreamDialect
{
    public const string DefaultModel = "pulse";

    public override string Name => StreamingDialects.PulseLive;

    public override string DefaultPath => "/waves/v1/stt/live";

    public override string AuthScheme => "Bearer";

    public override string Query(StreamingPlan options, int sampleRate) =>
        $"model={Uri.EscapeDataString(options.Model ?? DefaultModel)}&" + base.Query(options, sampleRate);
}
