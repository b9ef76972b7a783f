using System.Text;
using Microsoft.Extensions.Time.Testing;
using Synthetic.Probing;

namespace Synthetic.Tests.Probing;

public sealed class TimingStreamTests
{
    private const int Precision = 9;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task WriteThenRead_AsyncMemory_RequestEndsAtWriteAndProcessingAtFirstByte()
    {
        var (stream, recorder, _) = CreateSut("HTTP/1.1 200 OK\r\n");
        recorder.Reset();

        Step(3);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n"));
        Step(4);
        var read = await stream.ReadAsync(new byte[64]);
        recorder.Finished();

        var phases = recorder.Snapshot();
        Assert.Equal(17, read);
        Assert.Equal(0.003, phases.Request!.Value, Precision);
        Assert.Equal(0.004, phases.Processing!.Value, Precision);
    }

    [Fact]
    public async Task Write_EveryOverload_PassesBytesThroughAndCountsAsWrite()
    {
        var (stream, recorder, duplex) = CreateSut(string.Empty);
        recorder.Reset();

        stream.Write(Encoding.ASCII.GetBytes("ab"), 0, 2);
        stream.Write("cd"u8);
#pragma warning disable CA1835 // the array overload is under test
        await stream.WriteAsync(Encoding.ASCII.GetBytes("xefx"), 1, 2, CancellationToken.None);
#pragma warning restore CA1835
        Step(2);
        stream.Flush();

        Assert.Equal("abcdef", Encoding.ASCII.GetString(duplex.Written.ToArray()));
        Assert.Equal(0.002, recorder.Snapshot().Request!.Value, Precision);
    }

    [Fact]
    public async Task FlushAsync_AfterWrite_MovesTheLastWrite()
    {
        var (stream, recorder, _) = CreateSut(string.Empty);
        recorder.Reset();
        await stream.WriteAsync("a"u8.ToArray());

        Step(5);
        await stream.FlushAsync();

        Assert.Equal(0.005, recorder.Snapshot().Request!.Value, Precision);
    }

    [Fact]
    public async Task Read_EveryOverload_ReturnsTheInnerCountsAndBytes()
    {
        var (stream, recorder, _) = CreateSut("0123456789");
        recorder.Reset();
        stream.Write("q"u8);

        var first = new byte[3];
        var second = new byte[3];
        var third = new byte[2];
        var fourth = new byte[10];
        var counts = new[]
        {
            stream.Read(first, 0, 3),
            stream.Read(second.AsSpan()),
#pragma warning disable CA1835 // the array overload is under test
            await stream.ReadAsync(third, 0, 2, CancellationToken.None),
#pragma warning restore CA1835
            await stream.ReadAsync(fourth.AsMemory()),
            await stream.ReadAsync(new byte[4].AsMemory()),
        };

        Assert.Equal([3, 3, 2, 2, 0], counts);
        Assert.Equal("01234567", Encoding.ASCII.GetString([.. first, .. second, .. third]));
        Assert.Equal("89", Encoding.ASCII.GetString(fourth, 0, 2));
    }

    [Fact]
    public async Task Read_EndOfStreamOnly_NoFirstByte()
    {
        var (stream, recorder, _) = CreateSut(string.Empty);
        recorder.Reset();
        await stream.WriteAsync("GET"u8.ToArray());

        Assert.Equal(0, await stream.ReadAsync(new byte[8]));

        Assert.Null(recorder.Snapshot().Processing);
    }

    [Fact]
    public async Task Read_FirstByteBeforeTheWriteCompletes_StillTheFirstByte()
    {
        // A pooled HTTP/1.1 connection keeps a read pending; a fast server answers before the write's await resumes.
        var (stream, recorder, duplex) = CreateSut("HTTP/1.1 200 OK\r\n");
        duplex.WriteGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        recorder.Reset();

        Step(2);
        var write = stream.WriteAsync("GET / HTTP/1.1\r\n"u8.ToArray()).AsTask();
        Step(3);
        var read = await stream.ReadAsync(new byte[64]);
        Step(4);
        duplex.WriteGate.SetResult();
        await write;
        recorder.Finished();

        var phases = recorder.Snapshot();
        Assert.Equal(17, read);
        Assert.Equal(0.002, phases.Request!.Value, Precision);
        Assert.Equal(0.003, phases.Processing!.Value, Precision);
        Assert.Equal(0.004, phases.Transfer!.Value, Precision);
    }

    [Fact]
    public void Properties_NotSeekable_ReadWriteFromInner()
    {
        var (stream, _, _) = CreateSut(string.Empty);

        Assert.False(stream.CanSeek);
        Assert.True(stream.CanRead);
        Assert.True(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Position);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(1));
    }

    [Fact]
    public async Task Dispose_SyncAndAsync_DisposesTheInnerStream()
    {
        var (stream, _, duplex) = CreateSut(string.Empty);
        stream.Dispose();
        var (asyncStream, _, asyncDuplex) = CreateSut(string.Empty);
        await asyncStream.DisposeAsync();

        Assert.True(duplex.Disposed);
        Assert.True(asyncDuplex.Disposed);
    }

    private (TimingStream Stream, PhaseRecorder Recorder, DuplexStream Inner) CreateSut(string toRead)
    {
        var recorder = new PhaseRecorder(_time);
        var inner = new DuplexStream(Encoding.ASCII.GetBytes(toRead));
        return (new TimingStream(inner, recorder), recorder, inner);
    }

    private void Step(int milliseconds) => _time.Advance(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>A socket stand-in: reads come from a fixed answer, writes go to a separate buffer.</summary>
    private sealed class DuplexStream(byte[] toRead) : Stream
    {
        private readonly MemoryStream _read = new(toRead);

        public MemoryStream Written { get; } = new();

        public bool Disposed { get; private set; }

        /// <summary>When set, asynchronous writes wait for it: a write still in flight.</summary>
        public TaskCompletionSource? WriteGate { get; set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _read.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (WriteGate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            Written.Write(buffer.Span);
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
