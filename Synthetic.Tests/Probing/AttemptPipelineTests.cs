using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Timeout;
using Synthetic.Probing;

namespace Synthetic.Tests.Probing;

/// <summary>
/// The pipeline runs on a <see cref="FakeTimeProvider"/>: retry delays and timeouts fire only when the test
/// advances time. A fired timer may resume the pipeline on another thread, so assertions do not depend on how many
/// steps pass before the next timer exists, except where every timer is registered before the first step.
/// </summary>
public sealed class AttemptPipelineTests
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Execute_ConnectionErrorsThenSuccess_RetriedUpToSuccess()
    {
        var pipeline = AttemptPipeline.Build(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), retries: 2, _time);
        var attempts = 0;

        var result = await DriveAsync(pipeline.ExecuteAsync<int>(_ =>
        {
            attempts++;
            return attempts < 3 ? throw Refused() : ValueTask.FromResult(42);
        }, CancellationToken.None).AsTask());

        Assert.Equal(42, result);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task Execute_ConnectionErrorEveryTime_StopsAfterRetriesAndThrowsTheLastError()
    {
        var pipeline = AttemptPipeline.Build(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), retries: 2, _time);
        var attempts = 0;

        var task = pipeline.ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw Refused();
        }, CancellationToken.None).AsTask();

        await Assert.ThrowsAsync<HttpRequestException>(() => DriveAsync(task));
        Assert.Equal(3, attempts);
    }

    [Theory]
    [InlineData(HttpRequestError.SecureConnectionError)]
    [InlineData(HttpRequestError.ResponseEnded)]
    [InlineData(HttpRequestError.InvalidResponse)]
    public async Task Execute_RequestReachedTheServer_NotRetried(HttpRequestError error)
    {
        var pipeline = AttemptPipeline.Build(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), retries: 3, _time);
        var attempts = 0;

        var task = pipeline.ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw new HttpRequestException(error, "x");
        }, CancellationToken.None).AsTask();

        await Assert.ThrowsAsync<HttpRequestException>(() => DriveAsync(task));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Execute_IoError_NotRetried()
    {
        var pipeline = AttemptPipeline.Build(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), retries: 3, _time);
        var attempts = 0;

        var task = pipeline.ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw new IOException("reset after the request was sent");
        }, CancellationToken.None).AsTask();

        await Assert.ThrowsAsync<IOException>(() => DriveAsync(task));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Execute_NoRetriesConfigured_OneAttemptOnConnectionError()
    {
        var pipeline = AttemptPipeline.Build(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), retries: 0, _time);
        var attempts = 0;

        var task = pipeline.ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw Refused();
        }, CancellationToken.None).AsTask();

        await Assert.ThrowsAsync<HttpRequestException>(() => DriveAsync(task));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Execute_AttemptTimeoutBelowTotal_AttemptTimesOutFirstAndIsNotRetried()
    {
        var pipeline = AttemptPipeline.Build(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), retries: 2, _time);
        var attempts = 0;

        var task = pipeline.ExecuteAsync(async token =>
        {
            attempts++;
            await Task.Delay(Timeout.InfiniteTimeSpan, token).ConfigureAwait(false);
        }, CancellationToken.None).AsTask();

        var exception = await Assert.ThrowsAsync<TimeoutRejectedException>(() => AdvanceOnceAsync(task, TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(2), exception.Timeout);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Execute_RetriedAttempt_GetsItsOwnAttemptTimeout()
    {
        var pipeline = AttemptPipeline.Build(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), retries: 2, _time);
        var started = new List<DateTimeOffset>();

        var task = pipeline.ExecuteAsync(async token =>
        {
            started.Add(_time.GetUtcNow());
            if (started.Count == 1)
            {
                throw Refused();
            }

            await Task.Delay(Timeout.InfiniteTimeSpan, token).ConfigureAwait(false);
        }, CancellationToken.None).AsTask();

        var exception = await Assert.ThrowsAsync<TimeoutRejectedException>(() => DriveAsync(task));
        Assert.Equal(TimeSpan.FromSeconds(2), exception.Timeout);
        Assert.Equal(2, started.Count);
        Assert.True(started[1] - started[0] >= RetryDelay, $"the retry started {started[1] - started[0]} after the first attempt");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(8)]
    public async Task Execute_AttemptTimeoutNotBelowTotal_OnlyTheTotalTimeout(int attemptSeconds)
    {
        var pipeline = AttemptPipeline.Build(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(attemptSeconds), retries: 0, _time);

        var task = pipeline.ExecuteAsync(async token => await Task.Delay(Timeout.InfiniteTimeSpan, token).ConfigureAwait(false), CancellationToken.None).AsTask();

        var exception = await Assert.ThrowsAsync<TimeoutRejectedException>(() => AdvanceOnceAsync(task, TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(5), exception.Timeout);
    }

    [Fact]
    public async Task Execute_RetriesOutlastTheTotalTimeout_TotalTimeoutEndsTheExchange()
    {
        // Each attempt takes 1 s to be refused and is retried; the 3 s total cuts the loop, whatever the retry count.
        var pipeline = AttemptPipeline.Build(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), retries: 5, _time);
        var attempts = 0;

        var task = pipeline.ExecuteAsync(async token =>
        {
            attempts++;
            await Task.Delay(TimeSpan.FromSeconds(1), _time, token).ConfigureAwait(false);
            throw Refused();
        }, CancellationToken.None).AsTask();

        var exception = await Assert.ThrowsAsync<TimeoutRejectedException>(() => DriveAsync(task));
        Assert.Equal(TimeSpan.FromSeconds(3), exception.Timeout);
        Assert.InRange(attempts, 1, 3); // at most: starts at 0 s, 1.1 s and 2.2 s, the third cut at 3 s
    }

    [Fact]
    public void For_SameSettingsAndClock_OnePipeline()
    {
        var shared = AttemptPipeline.For(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), 2, _time);

        Assert.Same(shared, AttemptPipeline.For(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), 2, _time));
        Assert.NotSame(shared, AttemptPipeline.For(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), 1, _time));
        Assert.NotSame(shared, AttemptPipeline.For(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3), 2, _time));
        Assert.NotSame(shared, AttemptPipeline.For(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), 2, new FakeTimeProvider()));
    }

    [Fact]
    public async Task For_SharedByTwoChecks_EachExecutionTimesOutOnItsOwn()
    {
        var shared = AttemptPipeline.For(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), 0, _time);
        var answer = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var hanging = shared.ExecuteAsync<int>(async token =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, token);
            return 0;
        }, CancellationToken.None).AsTask();
        var answered = shared.ExecuteAsync<int>(async _ => await answer.Task, CancellationToken.None).AsTask();
        answer.SetResult(7);

        Assert.Equal(7, await answered.WaitAsync(TimeSpan.FromSeconds(30)));
        await AdvanceOnceAsync(hanging.ContinueWith(_ => { }, TaskScheduler.Default), TimeSpan.FromSeconds(3));
        await Assert.ThrowsAsync<TimeoutRejectedException>(() => hanging);
    }

    private static HttpRequestException Refused() =>
        new(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:9)", new SocketException((int)SocketError.ConnectionRefused));

    /// <summary>Advances fake time in steps until the task ends (bounded, so a broken pipeline fails instead of hanging).</summary>
    private async Task DriveAsync(Task task)
    {
        for (var i = 0; i < 1_000 && !task.IsCompleted; i++)
        {
            // Lets work queued by the previous step (e.g. a cancellation continuation on a busy pool) run first.
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System));
            if (!task.IsCompleted)
            {
                _time.Advance(RetryDelay);
            }
        }

        Assert.True(task.IsCompleted, "the pipeline did not finish within 1,000 steps of fake time");
        await task;
    }

    /// <summary>
    /// One step of fake time, then waits (real time, as a hang guard only) for the pipeline: every timer it needs was
    /// registered before ExecuteAsync returned, so the outcome cannot depend on how fast continuations run.
    /// </summary>
    private async Task AdvanceOnceAsync(Task task, TimeSpan step)
    {
        _time.Advance(step);
        await task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task<T> DriveAsync<T>(Task<T> task)
    {
        await DriveAsync((Task)task);
        return await task;
    }
}
