using Synthetic.Audio;
using Synthetic.Checks;
using Synthetic.Configuration;

namespace Synthetic.Hosting;

/// <summary>Everything the monitor needs, loaded and validated before the host is built.</summary>
internal sealed record MonitorSetup(MonitorPlan Plan, ClipLibrary? Clips, IReadOnlyList<ICheck> Checks);
