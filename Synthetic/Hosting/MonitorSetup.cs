using Synthetic.Checks;
using Synthetic.Audio;
using Synthetic.Configuration;
using Synthetic.Probing;
using Synthetic.Results;

namespace Synthetic.Hosting;

/// <summary>Everything the monitor needs, loaded and validated before the host is built.</summary>
internal sealed record MonitorSetup(SyntheticOptions Options, ClipLibrary? Clips, IReadOnlyList<ICheck> Checks);
