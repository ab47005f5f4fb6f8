using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Validium.Circuits;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Node.Api;
using Validium.Node.Client;
using Validium.Proving.Formats;
using Validium.Proving.Groth16;
using static Validium.Node.Tests.Harness;

namespace Validium.Node.Tests.Api;

public class TraderApiTests
{
    [Fact]
    public async Task SignedOrdersPlaceCrossAndCancelOverHttpAndTheAccountReadsShowTheResult()
    {
        await using var api = await ApiHost.StartAsync();
        var seller = await api.TraderAsync(1);
        var buyer = await api.TraderAsync(2);

        var instrument = Assert.Single(await seller.GetInstrumentsAsync());
        Assert.Equal(Btc, instrument.Spec);
        Assert.Null(instrument.BestAsk);

        var resting = await seller.PlaceAsync(Order(1, 1, Side.Sell, 50_000, 15));
        Assert.True(resting.Accepted);
        Assert.True(resting.Sequence > 0 && resting.OrderId > 0);
        var higher = await seller.PlaceAsync(Order(1, 2, Side.Sell, 51_000, 5));
        Assert.True(higher.Sequence > resting.Sequence);
        var book = await buyer.GetBookAsync(0);
        Assert.Equal([new LevelDto(50_000 * Usd, 15 * Btc.LotSize, 1), new LevelDto(51_000 * Usd, 5 * Btc.LotSize, 1)], book.Asks);
        Assert.Empty(book.Bids);
        Assert.Single((await buyer.GetBookAsync(0, levels: 1)).Asks);

        var take = await buyer.PlaceAsync(Order(2, 1, Side.Buy, 50_010, 15, OrderType.Ioc));
        Assert.True(take.Accepted);
        var open = Assert.Single(await seller.GetOpenOrdersAsync());
        Assert.Equal((2L, OrderType.Limit, 0L, SelfTradePrevention.CancelNewest), (open.ClientId, open.Type, open.ExpiresAt, open.Stp));
        // An amend carries the order's fields as the open-orders read shows them, with a new price and remaining quantity.
        var amend = await seller.AmendAsync(Command.Amend(0, 1, 3, open.ClientId, 51_500 * Usd, 4 * Btc.LotSize, open.Instrument, open.Side, open.Type,
            open.ExpiresAt, open.ReduceOnly, open.Stp));
        Assert.True(amend.Accepted);
        var amended = Assert.Single(await seller.GetOpenOrdersAsync());
        Assert.Equal((51_500 * Usd, 4 * Btc.LotSize), (amended.Price, amended.Quantity));
        var mismatch = await Assert.ThrowsAsync<TraderApiException>(() => seller.AmendAsync(Command.Amend(0, 1, 4, open.ClientId, 51_400 * Usd,
            4 * Btc.LotSize, open.Instrument, Side.Buy)));
        Assert.Equal((HttpStatusCode.Conflict, nameof(RejectCode.AmendMismatch)), (mismatch.Status, mismatch.Code));
        var cancel = await seller.CancelAsync(5, clientId: 2);
        Assert.True(cancel.Accepted);
        Assert.Empty(await seller.GetOpenOrdersAsync());
        Assert.Empty((await buyer.GetBookAsync(0)).Asks);

        // 0.015 BTC at the maker's 50,000 is 750 USD: the taker pays 500 ppm (0.375 USD), the maker gets 100 ppm back.
        var sold = Assert.Single((await seller.GetFillsAsync()).Fills);
        Assert.Equal((50_000 * Usd, 15 * Btc.LotSize, -75_000L, true, Side.Sell), (sold.Price, sold.Quantity, sold.Fee, sold.Maker, sold.Side));
        var bought = Assert.Single((await buyer.GetFillsAsync()).Fills);
        Assert.Equal((375_000L, false, 1L), (bought.Fee, bought.Maker, bought.ClientId));
        Assert.Equal([new PositionDto(0, 15 * Btc.LotSize, 750 * Usd)], await buyer.GetPositionsAsync());
        Assert.Equal(-15 * Btc.LotSize, Assert.Single(await seller.GetPositionsAsync()).Quantity);

        var account = await buyer.GetAccountAsync();
        Assert.Equal((2, 1L, 100_000 * Usd - 375_000), (account.Id, account.Nonce, account.Collateral));
        Assert.Equal(PublicKey(2).X.ToString(), account.PublicKeyX);
        var margin = await buyer.GetMarginAsync();
        Assert.Equal(new GreeksDto(0, 15 * Btc.LotSize, 0), Assert.Single(margin.Greeks));
        Assert.Equal((account.InitialMargin, account.MaintenanceMargin, account.FreeCollateral), (margin.InitialMargin, margin.MaintenanceMargin, margin.FreeCollateral));
        Assert.True(margin.InitialMargin > margin.MaintenanceMargin && margin.MaintenanceMargin > 0);
        var trade = Assert.Single(await buyer.GetTradesAsync());
        Assert.Equal((Side.Buy, 50_000 * Usd, 2, 1), (trade.TakerSide, trade.Price, trade.Taker, trade.Maker));

        var withdrawal = await seller.WithdrawAsync(1, 1_000 * (ulong)Usd, Address(1));
        Assert.True(withdrawal.Accepted);
        Assert.Equal(1UL, (await seller.GetAccountAsync()).WithdrawalNonce);
    }

    [Fact]
    public void TheClientsWithdrawalMessageIsTheCircuits()
    {
        Assert.Equal(BatchEncoding.WithdrawalMessage(3, 7, 123_456, Address(3)), WithdrawalSigning.Message(3, 7, 123_456, Address(3)));
    }

    [Fact]
    public async Task FillsPageNewestFirstWithoutSplittingACommand()
    {
        await using var api = await ApiHost.StartAsync();
        var seller = await api.TraderAsync(1);
        var buyer = await api.TraderAsync(2);
        for (int i = 1; i <= 3; i++) Assert.True((await seller.PlaceAsync(Order(1, i, Side.Sell, 50_000 + i * 10, 1))).Accepted);
        // One buy takes all three asks: three fills under one sequence number.
        var take = await buyer.PlaceAsync(Order(2, 1, Side.Buy, 50_040, 3, OrderType.Ioc));
        Assert.True((await seller.PlaceAsync(Order(1, 4, Side.Sell, 50_000, 1))).Accepted);
        Assert.True((await buyer.PlaceAsync(Order(2, 2, Side.Buy, 50_000, 1, OrderType.Ioc))).Accepted);

        var first = await buyer.GetFillsAsync(limit: 1);
        var newest = Assert.Single(first.Fills);
        Assert.True(newest.Sequence > take.Sequence);
        Assert.Equal(newest.Sequence, first.NextBefore);
        var second = await buyer.GetFillsAsync(before: first.NextBefore, limit: 1);
        Assert.Equal(3, second.Fills.Count);
        Assert.All(second.Fills, f => Assert.Equal(take.Sequence, f.Sequence));
        Assert.Null(second.NextBefore);
    }

    [Fact]
    public async Task KeysNeedTheAccountsSignatureOverAFreshChallengeAndReadsNeedAKey()
    {
        await using var api = await ApiHost.StartAsync();
        await AssertProblemAsync(await api.Http.GetAsync("v1/account"), HttpStatusCode.Unauthorized);
        var bogus = new HttpRequestMessage(HttpMethod.Get, "v1/account/fills");
        bogus.Headers.Add(ApiAuth.KeyHeader, new string('a', 64));
        await AssertProblemAsync(await api.Http.SendAsync(bogus), HttpStatusCode.Unauthorized);

        var challenge = await (await api.Http.PostAsync("v1/auth/challenge", null)).Content.ReadFromJsonAsync<ChallengeDto>(TraderJson.Options);
        var forged = new ApiKeyRequest(1, challenge!.Challenge, ApiAuth.SignChallenge(1, challenge.Challenge, PrivateKey(2)));
        var refused = await AssertProblemAsync(await PostJsonAsync(api.Http, "v1/auth/keys", forged), HttpStatusCode.Forbidden);
        Assert.Equal(nameof(RejectCode.BadSignature), refused.GetProperty("code").GetString());
        // The challenge was spent by the failed try: the right signature over it is refused too.
        var late = new ApiKeyRequest(1, challenge.Challenge, ApiAuth.SignChallenge(1, challenge.Challenge, PrivateKey(1)));
        Assert.Equal("BadChallenge", (await AssertProblemAsync(await PostJsonAsync(api.Http, "v1/auth/keys", late), HttpStatusCode.Forbidden)).GetProperty("code").GetString());

        var fresh = await (await api.Http.PostAsync("v1/auth/challenge", null)).Content.ReadFromJsonAsync<ChallengeDto>(TraderJson.Options);
        var unknown = new ApiKeyRequest(9, fresh!.Challenge, ApiAuth.SignChallenge(9, fresh.Challenge, PrivateKey(9)));
        await AssertProblemAsync(await PostJsonAsync(api.Http, "v1/auth/keys", unknown), HttpStatusCode.NotFound);

        var one = await api.TraderAsync(1);
        var asTwo = Order(2, 1, Side.Buy, 50_000, 1);
        var body = new PlaceOrderRequest(2, 1, 0, Side.Buy, OrderType.Limit, asTwo.Price, asTwo.Quantity, 1, 0, false, SelfTradePrevention.CancelNewest,
            ApiAuth.Hex(OrderSigning.Sign(asTwo, PrivateKey(2)).Pack()));
        await AssertProblemAsync(await PostJsonAsync(api.Http, "v1/orders", body, one.ApiKey), HttpStatusCode.Forbidden);

        // Account 1's order signed with account 2's key: refused before the journal, nothing applied.
        long before = api.Harness.Exchange.LastApplied;
        var wrongKey = Order(1, 1, Side.Sell, 50_000, 1);
        var signedByTwo = body with { Account = 1, Side = Side.Sell, Signature = ApiAuth.Hex(OrderSigning.Sign(wrongKey, PrivateKey(2)).Pack()) };
        var bad = await AssertProblemAsync(await PostJsonAsync(api.Http, "v1/orders", signedByTwo, one.ApiKey), HttpStatusCode.Forbidden);
        Assert.Equal(nameof(RejectCode.BadSignature), bad.GetProperty("code").GetString());
        Assert.Equal(before, api.Harness.Exchange.LastApplied);
        Assert.Equal(0, (await one.GetAccountAsync()).Nonce);
    }

    [Fact]
    public async Task ANewKeyPastTheAccountsLimitRetiresTheOldest()
    {
        await using var api = await ApiHost.StartAsync(new TraderApiOptions { MaxKeysPerAccount = 1 });
        var first = await api.TraderAsync(1);
        var second = await api.TraderAsync(1);
        Assert.NotEqual(first.ApiKey, second.ApiKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<TraderApiException>(() => first.GetAccountAsync())).Status);
        Assert.Equal(1, (await second.GetAccountAsync()).Id);
    }

    [Fact]
    public async Task BadRequestsGetProblemDetailsNamingTheFieldAndTheHostKeepsServing()
    {
        await using var api = await ApiHost.StartAsync(new TraderApiOptions { MaxBodyBytes = 2048 });
        var one = await api.TraderAsync(1);
        var malformed = await AssertProblemAsync(await PostRawAsync(api.Http, "v1/orders", "{\"account\": 1, \"nonce\": ", one.ApiKey), HttpStatusCode.BadRequest);
        Assert.Equal(JsonValueKind.Object, malformed.GetProperty("errors").ValueKind);
        var mistyped = await AssertProblemAsync(await PostRawAsync(api.Http, "v1/orders", "{\"account\": 1, \"price\": \"cheap\"}", one.ApiKey), HttpStatusCode.BadRequest);
        Assert.True(mistyped.GetProperty("errors").TryGetProperty("$.price", out _));
        var fields = await AssertProblemAsync(await PostRawAsync(api.Http, "v1/orders",
            "{\"account\": 1, \"nonce\": 1, \"side\": \"Sell\", \"type\": \"Limit\", \"price\": 1, \"quantity\": 0, \"signature\": \"00\"}", one.ApiKey), HttpStatusCode.BadRequest);
        var errors = fields.GetProperty("errors");
        Assert.True(errors.TryGetProperty("quantity", out _));
        Assert.True(errors.TryGetProperty("signature", out _));
        var amendType = await AssertProblemAsync(await PostRawAsync(api.Http, "v1/orders/amend",
            "{\"account\": 1, \"nonce\": 1, \"clientId\": 1, \"side\": \"Sell\", \"type\": \"Ioc\", \"price\": 1, \"quantity\": 1, \"signature\": \"00\"}", one.ApiKey), HttpStatusCode.BadRequest);
        Assert.True(amendType.GetProperty("errors").TryGetProperty("type", out _));
        var unknownSide = await AssertProblemAsync(await PostRawAsync(api.Http, "v1/orders", "{\"account\": 1, \"side\": \"Up\"}", one.ApiKey), HttpStatusCode.BadRequest);
        Assert.True(unknownSide.GetProperty("errors").TryGetProperty("$.side", out _));

        await AssertProblemAsync(await PostRawAsync(api.Http, "v1/orders", "{\"pad\": \"" + new string('x', 4096) + "\"}", one.ApiKey), HttpStatusCode.RequestEntityTooLarge);
        var text = new StringContent("account=1", Encoding.UTF8, "text/plain");
        var plain = new HttpRequestMessage(HttpMethod.Post, "v1/orders") { Content = text };
        plain.Headers.Add(ApiAuth.KeyHeader, one.ApiKey);
        await AssertProblemAsync(await api.Http.SendAsync(plain), HttpStatusCode.UnsupportedMediaType);
        await AssertProblemAsync(await api.Http.GetAsync("v1/no-such-thing"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await api.Http.GetAsync("v1/books/7"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await api.Http.GetAsync("v1/batches/99"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await api.Http.GetAsync("v1/trades?limit=0"), HttpStatusCode.BadRequest);

        // Refused by the exchange after journaling: 409 with the engine's code and the sequence number.
        Assert.True((await one.PlaceAsync(Order(1, 1, Side.Sell, 50_000, 1))).Accepted);
        var again = await Assert.ThrowsAsync<TraderApiException>(() => one.PlaceAsync(Order(1, 1, Side.Sell, 50_100, 1)));
        Assert.Equal((HttpStatusCode.Conflict, nameof(RejectCode.BadNonce)), (again.Status, again.Code));
        Assert.True(again.Sequence > 0);
        var tooBig = await Assert.ThrowsAsync<TraderApiException>(() => one.PlaceAsync(Order(1, 2, Side.Sell, 50_000, 100_000)));
        Assert.Equal(HttpStatusCode.Conflict, tooBig.Status);

        Assert.Single(await one.GetOpenOrdersAsync());
    }

    [Fact]
    public async Task RequestsPastAKeysBudgetGet429WithRetryAfterAndOtherKeysGoOn()
    {
        await using var api = await ApiHost.StartAsync(new TraderApiOptions { PermitsPerSecond = 1, Burst = 3, AnonymousPermitsPerSecond = 1, AnonymousBurst = 10 });
        var one = await api.TraderAsync(1);
        var two = await api.TraderAsync(2);
        for (int i = 0; i < 3; i++) await one.GetAccountAsync();
        var limited = await Assert.ThrowsAsync<TraderApiException>(() => one.GetAccountAsync());
        Assert.Equal((HttpStatusCode.TooManyRequests, "RateLimited"), (limited.Status, limited.Code));
        Assert.NotNull(limited.RetryAfter);
        Assert.True(limited.RetryAfter >= TimeSpan.FromSeconds(1));
        Assert.Equal(2, (await two.GetAccountAsync()).Id);
    }

    [Fact]
    public async Task BatchesAreServedWithAProofThatVerifiesAndThePostersL1Status()
    {
        var l1 = new FixedL1Status(new L1StatusDto("submitted", "0xabc", 12, null));
        await using var api = await ApiHost.StartAsync(l1: l1);
        var seller = await api.TraderAsync(1);
        var buyer = await api.TraderAsync(2);
        Assert.True((await seller.PlaceAsync(Order(1, 1, Side.Sell, 50_000, 15))).Accepted);
        Assert.True((await buyer.PlaceAsync(Order(2, 1, Side.Buy, 50_010, 15, OrderType.Ioc))).Accepted);
        await api.Harness.ReleasedAsync(1);

        var page = await buyer.GetBatchesAsync();
        var summary = Assert.Single(page.Batches);
        Assert.Null(page.NextAfter);
        Assert.Equal((1UL, "Proven", "Size", 3, 1, 0), (summary.Number, summary.Status, summary.Reason, summary.Deposits, summary.Trades, summary.Withdrawals));
        Assert.Equal(l1.Status, summary.L1);
        Assert.Empty((await buyer.GetBatchesAsync(after: 1)).Batches);

        var batch = await buyer.GetBatchAsync(1);
        Assert.Equal(BatchCircuit.PublicInputNames, batch.PublicInputs.Select(p => p.Name));
        var inputs = batch.PublicInputs.Select(p => Fr.Parse(p.Value)).ToArray();
        var proof = SnarkjsJson.ReadProof(batch.Proof!.Value.GetRawText(), "served proof");
        Assert.True(Verifier.Verify(api.Harness.Store.VerifyingKey, proof, inputs, out var reason), reason);
        Assert.Equal(proof, Proof.FromCompressed(Convert.FromHexString(batch.ProofCompressed![2..])));
        Assert.Equal(inputs[7], Fr.FromUInt64(1));

        // A damaged batch file is the node's fault: 500 with nothing of the node's internals, and the API goes on.
        File.WriteAllBytes(api.Harness.Store.PathOf(1), [1, 2, 3]);
        var broken = await AssertProblemAsync(await api.Http.GetAsync("v1/batches/1"), HttpStatusCode.InternalServerError);
        Assert.DoesNotContain(api.Harness.Dir, broken.GetRawText(), StringComparison.Ordinal);
        Assert.Single(await buyer.GetInstrumentsAsync());
    }

    [Fact]
    public async Task AKeyFundedOnL1FindsItsAccountNumberAndAnUnknownOrMalformedKeyIsRefused()
    {
        await using var api = await ApiHost.StartAsync();
        // The harness's deposits gave keys 1 and 2 accounts 1 and 2, and the operator's key the fee account 0.
        Assert.Equal(2, await TraderClient.FindAccountAsync(api.Http, PublicKey(2)));
        Assert.Equal(0, await TraderClient.FindAccountAsync(api.Http, PublicKey(0)));
        Assert.Null(await TraderClient.FindAccountAsync(api.Http, PublicKey(7)));
        var key = PublicKey(1);
        using (var doc = JsonDocument.Parse(await api.Http.GetStringAsync($"v1/accounts/by-key/{key.X}/{key.Y}")))
            Assert.Equal(1, doc.RootElement.GetProperty("account").GetInt32());
        var missing = await AssertProblemAsync(await api.Http.GetAsync($"v1/accounts/by-key/{PublicKey(7).X}/{PublicKey(7).Y}"), HttpStatusCode.NotFound);
        Assert.Contains("has not reached the exchange", missing.GetProperty("detail").GetString());
        var bad = await AssertProblemAsync(await api.Http.GetAsync($"v1/accounts/by-key/x12/{key.Y}"), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("ax", out _));
    }

    [Fact]
    public async Task TheOpenApiDocumentHasEveryMappedRoute()
    {
        await using var api = await ApiHost.StartAsync();
        var routes = OpenApiRoutes.Mapped(api.App);
        Assert.Contains(("GET", "/v1/stream"), routes);
        Assert.Contains(("POST", "/v1/orders"), routes);
        Assert.True(routes.Count >= 17, $"{routes.Count} routes");
        using var doc = JsonDocument.Parse(await api.Http.GetStringAsync("openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths");
        foreach (var (method, path) in routes)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the document");
            Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out _), $"{method} {path} is not in the document");
        }
        var place = paths.GetProperty("/v1/orders").GetProperty("post");
        Assert.True(place.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(place.GetProperty("responses").TryGetProperty("409", out _));
    }

    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var root = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("title").GetString()));
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return root;
    }

    private static Task<HttpResponseMessage> PostJsonAsync<T>(HttpClient http, string path, T body, string? key = null) =>
        PostRawAsync(http, path, JsonSerializer.Serialize(body, TraderJson.Options), key);

    private static Task<HttpResponseMessage> PostRawAsync(HttpClient http, string path, string json, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add(ApiAuth.KeyHeader, key);
        return http.SendAsync(request);
    }

    private sealed class FixedL1Status(L1StatusDto status) : IBatchL1Status
    {
        public L1StatusDto Status { get; } = status;

        public L1StatusDto? Get(ulong batch) => batch == 1 ? Status : null;
    }
}
