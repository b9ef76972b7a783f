using System.Diagnostics;
using System.Globalization;

namespace Synthetic.Bench;

/// <summary>
/// A helper process (nginx, blackbox_exporter, the monitor, ...) started by the driver. Its output goes to a
/// log file (never to a pipe nobody reads); its pid and start time are appended to the pid file so
/// bench/run.sh can end it by id if the driver dies. Disposing stops it: SIGTERM, then SIGKILL after 5 s.
/// </summary>
internal sealed class Child : IAsyncDisposable
{
    private readonly Process _process;
    private int _disposed;

    private Child(string name, Process process, string log)
    {
        Name = name;
        _process = process;
        Log = log;
    }

    public string Name { get; }

    public string Log { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static Child Start(BenchContext context, string name, string program, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var log = Path.Combine(context.Options.Tmp, name + ".log");
        // exec: the pid we get is the program's own, not a shell's.
        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? context.Options.Tmp,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$0\" \"$@\" </dev/null >>\"$BENCH_CHILD_LOG\" 2>&1");
        info.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["BENCH_CHILD_LOG"] = log;
        // The children must not inherit the driver's own settings for ASP.NET, the GC or sockets (each .NET child decides its own).
        foreach (var key in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "DOTNET_URLS", "DOTNET_gcServer", "DOTNET_GCgen0size",
                     "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS" })
        {
            info.Environment.Remove(key);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var child = new Child(name, process, log);
        File.AppendAllText(context.Options.PidFile, $"{process.Id} {ProcStat.StartTime(process.Id)} {name}\n");
        context.Track(child);
        BenchLog.Info($"started {name} (pid {process.Id}): {program} {string.Join(' ', info.ArgumentList.Skip(3)).Truncate(160)}");
        return child;
    }

    /// <summary>Last lines of the log, for error messages.</summary>
    public string Tail(int lines = 15)
    {
        try
        {
            return string.Join('\n', File.ReadLines(Log).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            throw new BenchException($"{Name} exited with code {_process.ExitCode}:\n{Tail()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_process.HasExited)
        {
            _process.Dispose();
            return;
        }

        try
        {
            using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            BenchLog.Info($"{Name} (pid {Pid}) did not stop within 5 s of SIGTERM: killing");
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }
}
