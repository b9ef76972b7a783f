using Synthetic.Scheduling;

namespace Synthetic.Tests.Scheduling;

public sealed class InlineJobPoolTests
{
    private static async Task<InlineJobPool> StartedPool(int size)
    {
        var pool = new InlineJobPool(size);
        await pool.Initialize();
        return pool;
    }

    [Fact]
    public async Task TryRun_JobBeforeItsFirstAwait_RunsBeforeTryRunReturns()
    {
        var pool = await StartedPool(2);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = -1;
        var caller = Environment.CurrentManagedThreadId;

        var accepted = await pool.TryRun(async () =>
        {
            thread = Environment.CurrentManagedThreadId;
            await gate.Task;
        });

        Assert.True(accepted);
        Assert.Equal(caller, thread);
        Assert.Equal(1, pool.Running);
        gate.SetResult();
        await pool.Shutdown(waitForJobsToComplete: true);
        Assert.Equal(0, pool.Running);
    }

    [Fact]
    public async Task WaitForAvailableThreads_PoolFull_WaitsUntilAJobEnds()
    {
        var pool = await StartedPool(1);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.Equal(1, await pool.WaitForAvailableThreads());
        await pool.TryRun(async () => await gate.Task);

        var waiting = pool.WaitForAvailableThreads().AsTask();

        Assert.False(waiting.IsCompleted);
        gate.SetResult();
        Assert.Equal(1, await waiting);
    }

    [Fact]
    public async Task TryRun_JobThrows_SlotIsReleased()
    {
        var pool = await StartedPool(1);

        await pool.TryRun(() => throw new InvalidOperationException("a job that throws"));

        Assert.Equal(0, pool.Running);
        Assert.Equal(1, await pool.WaitForAvailableThreads());
    }

    [Fact]
    public async Task Shutdown_WaitingForJobs_EndsAfterTheRunningJobAndRefusesNewOnes()
    {
        var pool = await StartedPool(4);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = false;
        await pool.TryRun(async () =>
        {
            await gate.Task;
            finished = true;
        });

        var shutdown = pool.Shutdown(waitForJobsToComplete: true).AsTask();

        Assert.False(shutdown.IsCompleted);
        Assert.False(await pool.TryRun(() => default));
        Assert.Equal(0, await pool.WaitForAvailableThreads());
        gate.SetResult();
        await shutdown;
        Assert.True(finished);
    }

    [Fact]
    public async Task Drain_GivenUpWhileAJobRuns_ReportsFalse()
    {
        var pool = await StartedPool(1);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await pool.TryRun(async () => await gate.Task);
        using var giveUp = new CancellationTokenSource();
        await giveUp.CancelAsync();

        var drained = await pool.Drain(giveUp.Token);

        Assert.False(drained);
        Assert.Equal(1, pool.Running);
        gate.SetResult();
        Assert.True(await pool.Drain(CancellationToken.None));
    }

    [Fact]
    public async Task TryRun_BeforeInitialize_Refused()
    {
        var pool = new InlineJobPool(1);
        var ran = false;

        var accepted = await pool.TryRun(() =>
        {
            ran = true;
            return default;
        });

        Assert.False(accepted);
        Assert.False(ran);
    }
}
