using System.Diagnostics;
using System.Text;

namespace Synthetic.Tests.Support;

/// <summary>A background program (Prometheus, Alertmanager) started by a test and always killed with it.</summary>
internal sealed class ProcessHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ProcessHost(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    public bool HasExited => _process.HasExited;

    public static ProcessHost Start(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = psi };
        var host = new ProcessHost(process, Path.GetFileName(fileName));
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Polls an HTTP URL until it answers 2xx; fails with the program's output otherwise.</summary>
    public async Task WaitReadyAsync(Uri url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"{Name} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{Name} not ready at {url} within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Keep the tail only: these programs can be chatty.
            if (_output.Length > 200_000)
            {
                _output.Remove(0, 100_000);
            }

            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
