using Microsoft.Extensions.Time.Testing;
using Synthetic.Probing;
using Synthetic.Results;

namespace Synthetic.Tests.Probing;

public sealed class PhaseRecorderTests
{
    private const int Precision = 9;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Snapshot_NewPlainConnection_EveryPhaseFromItsEvents()
    {
        var recorder = CreateSut();

        recorder.Reset();
        Step(1); recorder.DnsStarted();
        Step(2); recorder.DnsFinished();
        Step(3); recorder.Connected();
        recorder.PlaintextReady(tls: false);
        Step(4); recorder.Wrote();
        Step(5); recorder.Read(100);
        Step(6); recorder.Finished();

        var phases = recorder.Snapshot();

        Assert.Equal(0.002, phases.Dns!.Value, Precision);
        Assert.Equal(0.003, phases.Connect!.Value, Precision);
        Assert.Equal(0.0, phases.Tls!.Value, Precision);
        Assert.Equal(0.004, phases.Request!.Value, Precision);
        Assert.Equal(0.005, phases.Processing!.Value, Precision);
        Assert.Equal(0.006, phases.Transfer!.Value, Precision);
    }

    [Fact]
    public void Snapshot_NewTlsConnection_TlsFromConnectToPlaintextAndRequestFromThere()
    {
        var recorder = CreateSut();

        recorder.Reset();
        recorder.DnsStarted();
        recorder.DnsFinished();
        Step(3); recorder.Connected();
        Step(7); recorder.PlaintextReady(tls: true);
        Step(2); recorder.Wrote();
        Step(1); recorder.Read(1);
        recorder.Finished();

        var phases = recorder.Snapshot();

        Assert.Equal(0.0, phases.Dns!.Value, Precision);
        Assert.Equal(0.003, phases.Connect!.Value, Precision);
        Assert.Equal(0.007, phases.Tls!.Value, Precision);
        Assert.Equal(0.002, phases.Request!.Value, Precision);
        Assert.Equal(0.001, phases.Processing!.Value, Precision);
        Assert.Equal(0.0, phases.Transfer!.Value, Precision);
    }

    [Fact]
    public void Snapshot_ReusedConnection_NoDnsConnectTlsAndRequestFromStart()
    {
        var recorder = CreateSut();
        RunNewConnection(recorder);

        // The second run goes over the pooled connection: no connect hooks fire.
        Step(1000);
        recorder.Reset();
        Step(8); recorder.Wrote();
        Step(9); recorder.Read(10);
        Step(10); recorder.Finished();

        var phases = recorder.Snapshot();

        Assert.Null(phases.Dns);
        Assert.Null(phases.Connect);
        Assert.Null(phases.Tls);
        Assert.Equal(0.008, phases.Request!.Value, Precision);
        Assert.Equal(0.009, phases.Processing!.Value, Precision);
        Assert.Equal(0.010, phases.Transfer!.Value, Precision);
    }

    [Fact]
    public void Wrote_AfterFirstByte_Ignored()
    {
        var recorder = CreateSut();
        recorder.Reset();
        Step(4); recorder.Wrote();
        Step(5); recorder.Read(1);

        // E.g. an HTTP/1.1 connection writing its next request, or a drain: not part of this exchange's request.
        Step(50); recorder.Wrote();
        Step(6); recorder.Finished();

        var phases = recorder.Snapshot();

        Assert.Equal(0.004, phases.Request!.Value, Precision);
        Assert.Equal(0.005, phases.Processing!.Value, Precision);
        Assert.Equal(0.056, phases.Transfer!.Value, Precision);
    }

    [Fact]
    public void Wrote_Several_LastWriteEndsTheRequest()
    {
        var recorder = CreateSut();
        recorder.Reset();
        Step(1); recorder.Wrote();
        Step(2); recorder.Wrote();
        Step(3); recorder.Read(1);

        var phases = recorder.Snapshot();

        Assert.Equal(0.003, phases.Request!.Value, Precision);
        Assert.Equal(0.003, phases.Processing!.Value, Precision);
    }

    [Fact]
    public void Read_ZeroBytesOrBeforeAnyWrite_NotTheFirstByte()
    {
        var recorder = CreateSut();
        recorder.Reset();
        Step(1); recorder.Read(5);
        Step(1); recorder.Wrote();
        Step(2); recorder.Read(0);
        Step(3); recorder.Read(7);

        Assert.Equal(0.005, recorder.Snapshot().Processing!.Value, Precision);
    }

    [Fact]
    public void Snapshot_ConnectFailed_EveryPhaseNull()
    {
        var recorder = CreateSut();
        recorder.Reset();
        recorder.DnsStarted();
        Step(5); recorder.DnsFinished();

        Assert.Equal(PhaseTimings.None, recorder.Snapshot());
    }

    [Fact]
    public void Snapshot_NoAnswer_ProcessingAndTransferNull()
    {
        var recorder = CreateSut();
        recorder.Reset();
        recorder.DnsStarted();
        recorder.DnsFinished();
        Step(1); recorder.Connected();
        recorder.PlaintextReady(tls: false);
        Step(2); recorder.Wrote();
        Step(30_000);

        var phases = recorder.Snapshot();

        Assert.NotNull(phases.Connect);
        Assert.Equal(0.002, phases.Request!.Value, Precision);
        Assert.Null(phases.Processing);
        Assert.Null(phases.Transfer);
    }

    [Fact]
    public void Snapshot_FirstByteButNotFinished_TransferNull()
    {
        var recorder = CreateSut();
        recorder.Reset();
        Step(1); recorder.Wrote();
        Step(1); recorder.Read(1);

        Assert.Null(recorder.Snapshot().Transfer);
    }

    [Fact]
    public void Reset_AfterARun_ForgetsTheEarlierRun()
    {
        var recorder = CreateSut();
        RunNewConnection(recorder);

        recorder.Reset();

        Assert.Equal(PhaseTimings.None, recorder.Snapshot());
    }

    [Fact]
    public void Time_IsTheGivenProvider() => Assert.Same(_time, CreateSut().Time);

    private PhaseRecorder CreateSut() => new(_time);

    private void Step(int milliseconds) => _time.Advance(TimeSpan.FromMilliseconds(milliseconds));

    private void RunNewConnection(PhaseRecorder recorder)
    {
        recorder.Reset();
        recorder.DnsStarted();
        Step(1); recorder.DnsFinished();
        Step(1); recorder.Connected();
        recorder.PlaintextReady(tls: true);
        Step(1); recorder.Wrote();
        Step(1); recorder.Read(1);
        recorder.Finished();
    }
}
