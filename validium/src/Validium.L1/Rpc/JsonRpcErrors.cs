using System.Text.Json;

namespace Validium.L1.Rpc;

/// <summary>
/// The node answered with a JSON-RPC error object. The request reached the node and was judged: it is never retried
/// by the client (a retry would get the same verdict, or worse, repeat a side effect).
/// </summary>
public sealed class JsonRpcException : Exception
{
    public JsonRpcException(string method, long code, string rpcMessage, JsonElement? data)
        : base($"{method}: JSON-RPC error {code}: {rpcMessage}{(data is { } d ? " (data: " + Clip(d.GetRawText()) + ")" : "")}")
    {
        Method = method;
        Code = code;
        RpcMessage = rpcMessage;
        ErrorData = data;
    }

    public string Method { get; }
    public long Code { get; }
    public string RpcMessage { get; }

    /// <summary>The error's "data" member (for reverts: the revert bytes as a hex string), cloned so it outlives the response.</summary>
    public JsonElement? ErrorData { get; }

    /// <summary>Revert bytes when the error carries them as hex data (geth, anvil: code 3 "execution reverted").</summary>
    public byte[]? RevertData
    {
        get
        {
            var d = ErrorData;
            if (d is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("data", out var inner)) d = inner;
            if (d is not { ValueKind: JsonValueKind.String } s) return null;
            try
            {
                return Hex.Decode(s.GetString()!);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

    private static string Clip(string s) => s.Length <= 200 ? s : s[..200] + "…";
}

/// <summary>
/// The request did not get a JSON-RPC answer after every allowed attempt (connection refused or reset, timeout,
/// HTTP 5xx), or got an HTTP answer that is not JSON-RPC. <see cref="Attempts"/> says how many tries were made.
/// </summary>
public sealed class RpcTransportException(string message, int attempts, Exception? inner = null) : Exception(message, inner)
{
    public int Attempts { get; } = attempts;
}
