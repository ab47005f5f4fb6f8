using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Numerics;
using System.Text.Json;
using Validium.Crypto;
using Validium.Exchange;

namespace Validium.Node.Client;

/// <summary>
/// A typed client of the trader API for one account: signs in (an API key against a signed challenge), signs every
/// command with the account's key (<see cref="OrderSigning"/>), and turns problem details into
/// <see cref="TraderApiException"/>. Not thread-safe for <see cref="SignInAsync"/>; the calls after it are.
/// </summary>
public sealed class TraderClient
{
    private readonly HttpClient http;
    private readonly byte[] privateKey;

    /// <param name="http">With <see cref="HttpClient.BaseAddress"/> the node's address (e.g. http://127.0.0.1:8080/).</param>
    public TraderClient(HttpClient http, int account, ReadOnlySpan<byte> privateKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null) throw new ArgumentException("the HttpClient needs a BaseAddress", nameof(http));
        ArgumentOutOfRangeException.ThrowIfNegative(account);
        this.http = http;
        Account = account;
        this.privateKey = privateKey.ToArray();
    }

    public int Account { get; }

    /// <summary>
    /// The account an L1 deposit to <paramref name="key"/> created, or null while no deposit to it has reached the
    /// exchange: a trader funded on L1 learns the number it signs with here.
    /// </summary>
    public static async Task<int?> FindAccountAsync(HttpClient http, BabyJubjubPoint key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.GetAsync($"v1/accounts/by-key/{key.X}/{key.Y}", ct).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) throw await ProblemAsync(response, ct).ConfigureAwait(false);
        var found = await response.Content.ReadFromJsonAsync<AccountIdDto>(TraderJson.Options, ct).ConfigureAwait(false)
            ?? throw new InvalidDataException("GET v1/accounts/by-key: the node answered JSON null");
        return found.Account;
    }

    public string? ApiKey { get; private set; }

    /// <summary>Gets a challenge, signs it and keeps the API key for the calls that follow.</summary>
    public async Task<ApiKeyDto> SignInAsync(CancellationToken ct = default)
    {
        var challenge = await SendAsync<ChallengeDto>(HttpMethod.Post, "v1/auth/challenge", null, false, ct).ConfigureAwait(false);
        var key = await SendAsync<ApiKeyDto>(HttpMethod.Post, "v1/auth/keys",
            new ApiKeyRequest(Account, challenge.Challenge, ApiAuth.SignChallenge(Account, challenge.Challenge, privateKey)), false, ct).ConfigureAwait(false);
        ApiKey = key.Key;
        return key;
    }

    public Task<List<InstrumentDto>> GetInstrumentsAsync(CancellationToken ct = default) => GetAsync<List<InstrumentDto>>("v1/instruments", ct);

    public Task<BookDto> GetBookAsync(int instrument, int? levels = null, CancellationToken ct = default) =>
        GetAsync<BookDto>($"v1/books/{instrument}{Query(("levels", levels))}", ct);

    public Task<List<TradeDto>> GetTradesAsync(int? limit = null, CancellationToken ct = default) => GetAsync<List<TradeDto>>($"v1/trades{Query(("limit", limit))}", ct);

    public Task<AccountDto> GetAccountAsync(CancellationToken ct = default) => GetAsync<AccountDto>("v1/account", ct);

    public Task<List<PositionDto>> GetPositionsAsync(CancellationToken ct = default) => GetAsync<List<PositionDto>>("v1/account/positions", ct);

    public Task<MarginDto> GetMarginAsync(CancellationToken ct = default) => GetAsync<MarginDto>("v1/account/margin", ct);

    public Task<List<OrderDto>> GetOpenOrdersAsync(CancellationToken ct = default) => GetAsync<List<OrderDto>>("v1/account/orders", ct);

    public Task<FillPage> GetFillsAsync(long? before = null, int? limit = null, CancellationToken ct = default) =>
        GetAsync<FillPage>($"v1/account/fills{Query(("before", before), ("limit", limit))}", ct);

    public Task<BatchPage> GetBatchesAsync(ulong? after = null, int? limit = null, CancellationToken ct = default) =>
        GetAsync<BatchPage>($"v1/batches{Query(("after", after), ("limit", limit))}", ct);

    public Task<BatchDto> GetBatchAsync(ulong number, CancellationToken ct = default) => GetAsync<BatchDto>($"v1/batches/{number}", ct);

    /// <summary>Signs and places an order of this account (<paramref name="order"/>'s account must be <see cref="Account"/>).</summary>
    public Task<CommandResult> PlaceAsync(Command order, CancellationToken ct = default)
    {
        if (order.Kind != CommandKind.Place || order.Account != Account) throw new ArgumentException($"a place of account {Account}", nameof(order));
        var signature = Sign(order);
        return SendAsync<CommandResult>(HttpMethod.Post, "v1/orders", new PlaceOrderRequest(order.Account, order.Nonce, order.Instrument, order.Side, order.Type,
            order.Price, order.Quantity, order.ClientId, order.ExpiresAt, order.ReduceOnly, order.Stp, signature), true, ct);
    }

    /// <summary>
    /// Signs and sends an amend of this account's open order (<see cref="Command.AmendOf"/> from the place, or
    /// <see cref="Command.Amend"/> with the fields of its <see cref="OrderDto"/>).
    /// </summary>
    public Task<CommandResult> AmendAsync(Command amend, CancellationToken ct = default)
    {
        if (amend.Kind != CommandKind.Amend || amend.Account != Account) throw new ArgumentException($"an amend of account {Account}", nameof(amend));
        return SendAsync<CommandResult>(HttpMethod.Post, "v1/orders/amend", new AmendOrderRequest(amend.Account, amend.Nonce, amend.ClientId, amend.Instrument,
            amend.Side, amend.Type, amend.Price, amend.Quantity, amend.ExpiresAt, amend.ReduceOnly, amend.Stp, Sign(amend)), true, ct);
    }

    public Task<CommandResult> CancelAsync(long nonce, long clientId, CancellationToken ct = default) =>
        SendAsync<CommandResult>(HttpMethod.Post, "v1/orders/cancel",
            new CancelRequest(Account, nonce, clientId, Sign(Command.Cancel(0, Account, nonce, clientId))), true, ct);

    public Task<CommandResult> CancelAllAsync(long nonce, int instrument = -1, CancellationToken ct = default) =>
        SendAsync<CommandResult>(HttpMethod.Post, "v1/orders/cancel-all",
            new CancelAllRequest(Account, nonce, instrument, Sign(Command.CancelAll(0, Account, nonce, instrument))), true, ct);

    /// <summary>Withdraws to an L1 address; <paramref name="nonce"/> counts withdrawals (above <see cref="AccountDto.WithdrawalNonce"/>).</summary>
    public Task<CommandResult> WithdrawAsync(ulong nonce, ulong amount, BigInteger recipient, CancellationToken ct = default)
    {
        var signature = ApiAuth.Hex(EdDsaPoseidon.Sign(privateKey, WithdrawalSigning.Message((ulong)Account, nonce, amount, recipient)).Pack());
        return SendAsync<CommandResult>(HttpMethod.Post, "v1/withdrawals",
            new WithdrawalRequestDto(Account, nonce, amount, "0x" + recipient.ToString("x40", CultureInfo.InvariantCulture)[^40..], signature), true, ct);
    }

    /// <summary>Opens /v1/stream, with the API key when signed in (needed for the account channel).</summary>
    public async Task<TraderStream> ConnectStreamAsync(HttpMessageInvoker? invoker = null, CancellationToken ct = default)
    {
        var socket = new ClientWebSocket();
        if (ApiKey is not null) socket.Options.SetRequestHeader(ApiAuth.KeyHeader, ApiKey);
        var uri = new UriBuilder(new Uri(http.BaseAddress!, "v1/stream")) { Scheme = http.BaseAddress!.Scheme == "https" ? "wss" : "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, invoker, ct).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new TraderStream(socket);
    }

    private string Sign(Command c) => ApiAuth.Hex(OrderSigning.Sign(c, privateKey).Pack());

    private static string Query(params (string Name, object? Value)[] parameters)
    {
        var present = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }

    private Task<T> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, null, true, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, bool withKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: TraderJson.Options);
        if (withKey && ApiKey is not null) request.Headers.Add(ApiAuth.KeyHeader, ApiKey);
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await ProblemAsync(response, ct).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<T>(TraderJson.Options, ct).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{method} {path}: the node answered JSON null");
    }

    private static async Task<TraderApiException> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        string title = response.ReasonPhrase ?? "error", text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        string? detail = null, code = null;
        long? sequence = null;
        var errors = new Dictionary<string, string[]>();
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String) title = t.GetString()!;
            if (root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String) detail = d.GetString();
            if (root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String) code = c.GetString();
            if (root.TryGetProperty("sequence", out var s) && s.ValueKind == JsonValueKind.Number) sequence = s.GetInt64();
            if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                foreach (var field in e.EnumerateObject())
                    errors[field.Name] = [.. field.Value.EnumerateArray().Select(v => v.GetString() ?? "")];
        }
        catch (JsonException)
        {
            detail = text.Length > 200 ? text[..200] : text;
        }
        return new TraderApiException(response.StatusCode, title, detail, code, sequence, errors, response.Headers.RetryAfter?.Delta);
    }
}

/// <summary>The message a withdrawal is signed over: Poseidon(11, account, nonce, amount, recipient), as the batch circuit checks it.</summary>
public static class WithdrawalSigning
{
    private static readonly BigInteger AddressLimit = BigInteger.One << 160;

    public static Fr Message(ulong account, ulong nonce, ulong amount, BigInteger recipient)
    {
        if (recipient.Sign < 0 || recipient >= AddressLimit) throw new ArgumentOutOfRangeException(nameof(recipient), "an L1 address is 160 bits");
        return Poseidon.Hash([(ulong)CommandKind.Withdraw, account, nonce, amount, Fr.FromBigInteger(recipient)]);
    }
}
