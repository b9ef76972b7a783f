using System.Net.Sockets;
using System.Security.Authentication;
using Polly.Timeout;
using Synthetic.Results;

namespace Synthetic.Probing;

/// <summary>Turns exceptions from an HTTP exchange into one of the fixed reasons.</summary>
internal static class FailureClassifier
{
    public static (string Reason, string Detail) Classify(Exception exception) => exception switch
    {
        TimeoutRejectedException or OperationCanceledException or TimeoutException => (Reasons.Timeout, "no answer within the timeout"),
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } e => (Reasons.Tls, "TLS: " + Short(e)),
        HttpRequestException e when e.InnerException is AuthenticationException => (Reasons.Tls, "TLS: " + Short(e)),
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } e => (Reasons.Connection, "DNS: " + Short(e)),
        // The server answered, with something that is not a usable HTTP response: a server that is up, not a connection fault.
        HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded } => (Reasons.InvalidBody,
            $"response headers larger than {ProbeHttpClient.MaxResponseHeadersKiB} KiB"),
        HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } e => (Reasons.InvalidBody, "not an HTTP response: " + Short(e)),
        HttpRequestException e => (Reasons.Connection, e.HttpRequestError + ": " + Short(e)),
        SocketException e => (Reasons.Connection, "socket: " + e.SocketErrorCode),
        IOException e => (Reasons.Connection, "I/O: " + Short(e)),
        _ => (Reasons.Connection, exception.GetType().Name),
    };

    /// <summary>Connection-level failures are the only ones worth one retry: the request never reached the service.</summary>
    public static bool IsConnectionLevel(Exception exception) => exception switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => true,
        HttpRequestException { InnerException: SocketException } => true,
        SocketException => true,
        _ => false,
    };

    private static string Short(Exception e)
    {
        var message = (e.InnerException ?? e).Message;
        return message.Length > 160 ? message[..160] : message;
    }
}
