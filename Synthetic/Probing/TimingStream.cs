namespace Synthetic.Probing;

/// <summary>
/// Wraps the plaintext HTTP stream to timestamp the request's last write and the response's first byte. A write
/// counts when it starts as well as when it ends: on a pooled connection a read is already pending, and a fast
/// server's first byte can complete that read before the write's completion runs.
/// </summary>
internal sealed class TimingStream(Stream inner, PhaseRecorder recorder) : Stream
{
    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
        inner.Flush();
        recorder.Wrote();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await inner.FlushAsync(cancellationToken);
        recorder.Wrote();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        recorder.Read(read);
        return read;
    }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        recorder.Read(read);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        recorder.Read(read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        recorder.Wrote();
        inner.Write(buffer, offset, count);
        recorder.Wrote();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        recorder.Wrote();
        inner.Write(buffer);
        recorder.Wrote();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        recorder.Wrote();
        await inner.WriteAsync(buffer, cancellationToken);
        recorder.Wrote();
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
