using Polly;
using Polly.Retry;

namespace Synthetic.Probing;

/// <summary>
/// The Polly pipeline around one probe exchange: a total timeout, at most the configured retries on
/// connection-level errors only, and a per-attempt timeout. The attempt count is kept by the caller so
/// every attempt is visible in metrics.
/// </summary>
internal static class AttemptPipeline
{
    public static ResiliencePipeline Build(TimeSpan totalTimeout, TimeSpan attemptTimeout, int retries, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        builder.AddTimeout(totalTimeout);
        if (retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Constant,
                Delay = TimeSpan.FromMilliseconds(100),
                UseJitter = false,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(FailureClassifier.IsConnectionLevel),
            });
        }

        if (attemptTimeout < totalTimeout)
        {
            builder.AddTimeout(attemptTimeout);
        }

        return builder.Build();
    }
}
