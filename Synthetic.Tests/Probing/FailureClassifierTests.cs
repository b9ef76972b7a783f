using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Polly.Timeout;
using Synthetic.Probing;
using Synthetic.Results;
using Synthetic.Tests.Support;

namespace Synthetic.Tests.Probing;

public sealed class FailureClassifierTests
{
    [Fact]
    public void Classify_PollyTimeoutRejected_Timeout()
    {
        var (reason, detail) = FailureClassifier.Classify(new TimeoutRejectedException("attempt timed out"));

        Assert.Equal(Reasons.Timeout, reason);
        Assert.Equal("no answer within the timeout", detail);
    }

    [Fact]
    public void Classify_OperationCanceledAndTaskCanceledAndTimeout_Timeout()
    {
        Assert.Equal(Reasons.Timeout, FailureClassifier.Classify(new OperationCanceledException()).Reason);
        Assert.Equal(Reasons.Timeout, FailureClassifier.Classify(new TaskCanceledException()).Reason);
        Assert.Equal(Reasons.Timeout, FailureClassifier.Classify(new TimeoutException()).Reason);
    }

    [Fact]
    public void Classify_SecureConnectionError_TlsWithInnerMessage()
    {
        var exception = new HttpRequestException(HttpRequestError.SecureConnectionError, "outer", new AuthenticationException("remote certificate is invalid"));

        var (reason, detail) = FailureClassifier.Classify(exception);

        Assert.Equal(Reasons.Tls, reason);
        Assert.Equal("TLS: remote certificate is invalid", detail);
    }

    [Fact]
    public void Classify_UnknownErrorWithAuthenticationInner_Tls()
    {
        var exception = new HttpRequestException(HttpRequestError.Unknown, "outer", new AuthenticationException("handshake failed"));

        var (reason, detail) = FailureClassifier.Classify(exception);

        Assert.Equal(Reasons.Tls, reason);
        Assert.Equal("TLS: handshake failed", detail);
    }

    [Fact]
    public void Classify_NameResolutionError_ConnectionWithDnsDetail()
    {
        var exception = new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (nowhere.invalid:443)");

        var (reason, detail) = FailureClassifier.Classify(exception);

        Assert.Equal(Reasons.Connection, reason);
        Assert.Equal("DNS: Name or service not known (nowhere.invalid:443)", detail);
    }

    [Fact]
    public void Classify_ResponseHeadersOverLimit_InvalidBodyNamingTheLimit()
    {
        var (reason, detail) = FailureClassifier.Classify(new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded, "too big"));

        Assert.Equal(Reasons.InvalidBody, reason);
        Assert.Contains($"{ProbeHttpClient.MaxResponseHeadersKiB} KiB", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_InvalidResponse_InvalidBody()
    {
        var (reason, detail) = FailureClassifier.Classify(new HttpRequestException(HttpRequestError.InvalidResponse, "The server returned an invalid or unrecognized response."));

        Assert.Equal(Reasons.InvalidBody, reason);
        Assert.StartsWith("not an HTTP response: ", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_ConnectionErrorWithSocketInner_ConnectionNamingTheError()
    {
        var exception = new HttpRequestException(HttpRequestError.ConnectionError, "outer", new SocketException((int)SocketError.ConnectionRefused));

        var (reason, detail) = FailureClassifier.Classify(exception);

        Assert.Equal(Reasons.Connection, reason);
        Assert.StartsWith("ConnectionError: ", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classify_RealConnectionRefusedOnLoopback_ConnectionAndConnectionLevel()
    {
        using var client = new HttpClient();
        var port = FreePort.Next();

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://127.0.0.1:{port}/")));

        Assert.Equal(Reasons.Connection, FailureClassifier.Classify(exception).Reason);
        Assert.True(FailureClassifier.IsConnectionLevel(exception), "a refused connection should be retried: " + exception);
    }

    [Fact]
    public void Classify_SocketException_ConnectionWithSocketErrorCode()
    {
        var (reason, detail) = FailureClassifier.Classify(new SocketException((int)SocketError.ConnectionRefused));

        Assert.Equal(Reasons.Connection, reason);
        Assert.Equal("socket: ConnectionRefused", detail);
    }

    [Fact]
    public void Classify_IOException_ConnectionWithIoDetail()
    {
        var (reason, detail) = FailureClassifier.Classify(new IOException("The response ended prematurely."));

        Assert.Equal(Reasons.Connection, reason);
        Assert.Equal("I/O: The response ended prematurely.", detail);
    }

    [Fact]
    public void Classify_UnexpectedException_ConnectionNamingTheType()
    {
        var (reason, detail) = FailureClassifier.Classify(new InvalidOperationException("secret-looking text"));

        Assert.Equal(Reasons.Connection, reason);
        Assert.Equal(nameof(InvalidOperationException), detail);
    }

    [Fact]
    public void Classify_LongMessage_DetailCutTo160Characters()
    {
        var (_, detail) = FailureClassifier.Classify(new IOException(new string('x', 500)));

        Assert.Equal("I/O: ".Length + 160, detail.Length);
    }

    [Theory]
    [InlineData(HttpRequestError.ConnectionError, true)]
    [InlineData(HttpRequestError.NameResolutionError, true)]
    [InlineData(HttpRequestError.SecureConnectionError, false)]
    [InlineData(HttpRequestError.ResponseEnded, false)]
    [InlineData(HttpRequestError.InvalidResponse, false)]
    public void IsConnectionLevel_HttpRequestError_OnlyConnectAndDns(HttpRequestError error, bool expected)
    {
        Assert.Equal(expected, FailureClassifier.IsConnectionLevel(new HttpRequestException(error, "x")));
    }

    [Fact]
    public void IsConnectionLevel_SocketExceptionDirectOrInner_True()
    {
        Assert.True(FailureClassifier.IsConnectionLevel(new SocketException((int)SocketError.HostUnreachable)));
        Assert.True(FailureClassifier.IsConnectionLevel(new HttpRequestException("x", new SocketException((int)SocketError.ConnectionReset))));
    }

    [Fact]
    public void IsConnectionLevel_TimeoutsTlsIoAndStatus_False()
    {
        Assert.False(FailureClassifier.IsConnectionLevel(new TimeoutRejectedException()));
        Assert.False(FailureClassifier.IsConnectionLevel(new OperationCanceledException()));
        Assert.False(FailureClassifier.IsConnectionLevel(new AuthenticationException()));
        Assert.False(FailureClassifier.IsConnectionLevel(new IOException("reset")));
        Assert.False(FailureClassifier.IsConnectionLevel(new HttpRequestException("bad gateway", null, HttpStatusCode.BadGateway)));
    }
}
