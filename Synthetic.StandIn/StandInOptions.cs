using Synthetic.StandIn.Recognition;

namespace Synthetic.StandIn;

/// <summary>How to start the stand-in (a test double of the Smallest self-host API server).</summary>
public sealed class StandInOptions
{
    /// <summary>The address to bind; port 0 picks a free port (see <see cref="StandInServer.BaseUrl"/>).</summary>
    public string Url { get; set; } = "http://127.0.0.1:0";

    /// <summary>Folder with <c>manifest.json</c> and the clips; default <c>&lt;AppContext.BaseDirectory&gt;/fixtures/audio</c>.</summary>
    public string? FixturesPath { get; set; }

    /// <summary>When set, transcription requests must carry this key.</summary>
    public string? LicenseKey { get; set; }

    /// <summary>PEM certificate to serve https with (<c>--cert</c>); needs <see cref="KeyPath"/> and an https:// <see cref="Url"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="CertificatePath"/> (<c>--key</c>).</summary>
    public string? KeyPath { get; set; }

    /// <summary>No request logging (the start line is always logged).</summary>
    public bool Quiet { get; set; } = true;

    /// <summary>Largest accepted audio body; the vendor's limit is 100 MB. Lowered by tests.</summary>
    internal long MaxBodyBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Mode in force from the first request (the command line's <c>--mode</c>).</summary>
    internal StandInMode? InitialMode { get; set; }

    /// <summary>When set, stream sessions send their first partial this long after the first audio frame (the TTFT accuracy test).</summary>
    public TimeSpan? StreamFirstPartialDelay { get; set; }

    /// <summary>Transcribes audio for real instead of the fixture lookup; null means the lookup.</summary>
    internal IRecognizer? Recognizer { get; set; }

    /// <summary>Clock for uptime and delays. Replaced by tests.</summary>
    internal TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
