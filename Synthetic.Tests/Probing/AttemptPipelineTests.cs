using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Timeout;
using Synthetic.Probing;

namespace Synthetic.Tests.Probing;

/// <summary>
/// The pipeline runs on a <see cref="FakeTimeProvider"/>: retry delays and timeouts fire only when the test
/// advances time, so nothing here depends on the machine's speed. Callbacks resume with ConfigureAwait(false), so
/// a timer fired by <c>Advance</c> runs the pipeline on inline and the next timer exists before the next step.
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

        var exception = await Assert.ThrowsAsync<TimeoutRejectedException>(() => DriveAsync(task, TimeSpan.FromSeconds(2)));
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
        Assert.Equal(RetryDelay, started[1] - started[0]);
        Assert.Equal(started[1] + TimeSpan.FromSeconds(2), _time.GetUtcNow());
    }

    [Theory]
    [InlineData(5)]
    [InlineData(8)]
    public async Task Execute_AttemptTimeoutNotBelowTotal_OnlyTheTotalTimeout(int attemptSeconds)
    {
        var pipeline = AttemptPipeline.Build(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(attemptSeconds), retries: 0, _time);

        var task = pipeline.ExecuteAsync(async token => await Task.Delay(Timeout.InfiniteTimeSpan, token).ConfigureAwait(false), CancellationToken.None).AsTask();

        var exception = await Assert.ThrowsAsync<TimeoutRejectedException>(() => DriveAsync(task, TimeSpan.FromSeconds(1)));
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
        Assert.Equal(3, attempts); // starts at 0 s, 1.1 s and 2.2 s; the third is cut at 3 s
    }

    private static HttpRequestException Refused() =>
        new(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:9)", new SocketException((int)SocketError.ConnectionRefused));

    /// <summary>Advances fake time in steps until the task ends (bounded, so a broken pipeline fails instead of hanging).</summary>
    private async Task DriveAsync(Task task, TimeSpan? step = null)
    {
        for (var i = 0; i < 10_000 && !task.IsCompleted; i++)
        {
            await Task.Yield();
            if (!task.IsCompleted)
            {
                _time.Advance(step ?? RetryDelay);
            }
        }

        Assert.True(task.IsCompleted, "the pipeline did not finish within 10,000 steps of fake time");
        await task;
    }

    private async Task<T> DriveAsync<T>(Task<T> task)
    {
        await DriveAsync((Task)task);
        return await task;
    }
}
