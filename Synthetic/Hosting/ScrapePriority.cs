using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Synthetic.Scheduling;

namespace Synthetic.Hosting;

/// <summary>
/// A scrape of a saturated monitor goes first: while /metrics is served, the admission gate starts none of the runs it
/// holds back for up to <see cref="AdmissionGate.FullYield"/>, then no more than one per core
/// (<see cref="AdmissionGate.Yield"/>), so the scrape is not queued behind thousands of probes for the CPU. A monitor
/// that holds no run back is not affected.
/// </summary>
internal static class ScrapePriority
{
    public static IApplicationBuilder UseScrapePriority(this IApplicationBuilder app)
    {
        var gate = app.ApplicationServices.GetRequiredService<AdmissionGate>();
        return app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal))
            {
                await next(context);
                return;
            }

            using (gate.Yield())
            {
                await next(context);
            }
        });
    }
}
