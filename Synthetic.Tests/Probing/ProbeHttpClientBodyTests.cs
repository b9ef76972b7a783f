using System.Net;
using System.Text;
using Synthetic.Probing;

namespace Synthetic.Tests.Probing;

/// <summary>
/// The bounded body read on its pooled buffer: still bounded, large bodies still rejected, and nothing of one
/// probe's body showing up in the next (the pool hands the same buffers around without clearing them).
/// </summary>
public sealed class ProbeHttpClientBodyTests(LoopbackHttpServer server) : IClassFixture<LoopbackHttpServer>, IDisposable
{
    /// <summary>A guard against a hang; not a timing assertion.</summary>
    private readonly CancellationTokenSource _guard = new(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Exchange_LongBodyThenShortBody_SecondHoldsOnlyItsOwnBytes()
    {
        using var client = new ProbeHttpClient(TimeProvider.System, reuseConnections: false);

        var first = await client.ExchangeAsync(Get("/sized/1000"), 1024, _guard.Token);
        var second = await client.ExchangeAsync(Get("/small"), 1024, _guard.Token);
        var third = await client.ExchangeAsync(Get("/chunked/3"), 1024, _guard.Token);

        Assert.Equal(new string('a', 1000), Encoding.ASCII.GetString(first.Body));
        Assert.Equal("hello", Encoding.ASCII.GetString(second.Body));
        Assert.Equal("ccc", Encoding.ASCII.GetString(third.Body));
    }

    [Fact]
    public async Task ReadBounded_UnknownLengthAcrossBufferGrowth_EveryByteInOrder()
    {
        // 100,000 bytes in reads of at most 7,000: the 16 KiB first buffer has to grow three times.
        var body = Pattern(100_000, seed: 1);
        using var content = Unsized(body, 7_000);

        var (read, truncated) = await ProbeHttpClient.ReadBoundedAsync(content, 1 << 20, _guard.Token);

        Assert.False(truncated);
        Assert.Equal(body, read);
    }

    [Theory]
    [InlineData(4096, 4096, false)]
    [InlineData(4097, 4096, true)]
    [InlineData(40_000, 16_384, true)]
    [InlineData(16_384, 16_384, false)]
    public async Task ReadBounded_UnknownLengthAroundTheCap_WholeOrRejected(int size, int cap, bool rejected)
    {
        var body = Pattern(size, seed: 2);
        using var content = Unsized(body, 1500);

        var (read, truncated) = await ProbeHttpClient.ReadBoundedAsync(content, cap, _guard.Token);

        Assert.Equal(rejected, truncated);
        Assert.Equal(rejected ? [] : body, read);
    }

    [Fact]
    public async Task ReadBounded_DeclaredLengthOverCap_RejectedWithoutReading()
    {
        var stream = new TrickleStream(Pattern(10, seed: 3), 10);
        using var content = new StreamContent(stream);
        content.Headers.ContentLength = 10_000_000;

        var (read, truncated) = await ProbeHttpClient.ReadBoundedAsync(content, 1 << 20, _guard.Token);

        Assert.True(truncated);
        Assert.Empty(read);
        Assert.Equal(0, stream.Reads);
    }

    [Fact]
    public async Task ReadBounded_ManyBodiesOfFallingSize_NoneCarriesBytesOfAnEarlierOne()
    {
        // Largest first, so each later read lands in a pooled buffer an earlier, longer body filled.
        for (var size = 50_000; size > 0; size /= 3)
        {
            var body = Pattern(size, seed: size);
            using var content = Unsized(body, 4096);

            var (read, _) = await ProbeHttpClient.ReadBoundedAsync(content, 1 << 20, _guard.Token);

            Assert.Equal(body, read);
        }
    }

    private static byte[] Pattern(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Content without a length (as a chunked response), read back in pieces of at most <paramref name="piece"/> bytes.</summary>
    private static StreamContent Unsized(byte[] body, int piece) => new(new TrickleStream(body, piece));

    private HttpRequestMessage Get(string path) => new(HttpMethod.Get, new Uri(server.BaseUri, path)) { Version = HttpVersion.Version11 };

    public void Dispose() => _guard.Dispose();

    /// <summary>A forward-only stream (so no length to compute) that hands out its bytes a piece at a time.</summary>
    private sealed class TrickleStream(byte[] data, int piece) : Stream
    {
        private int _position;

        public int Reads { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            Reads++;
            var n = Math.Min(Math.Min(piece, buffer.Length), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
