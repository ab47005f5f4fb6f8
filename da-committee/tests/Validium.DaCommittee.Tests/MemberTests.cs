using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using RocksDbSharp;
using Validium.Crypto;
using Validium.DaCommittee.Client;
using Validium.L1;

namespace Validium.DaCommittee.Tests;

/// <summary>One member over real HTTP on loopback: what it accepts, signs, stores and serves, and what it refuses.</summary>
public sealed class MemberTests
{
    private static readonly HttpClient Http = new();

    private static async Task<(HttpStatusCode Status, string Body)> Submit(Uri member, ulong batch, byte[] data, Secp256k1PrivateKey signer, DacDomain domain,
        TimeSpan? clockOffset = null, (long Ts, string Nonce, string Sig)? reuse = null, Action<HttpRequestMessage>? edit = null)
    {
        var (ts, nonce, sig) = reuse ?? SubmitAuth.Sign(signer, domain, batch, data, DateTimeOffset.UtcNow + (clockOffset ?? TimeSpan.Zero));
        using var req = new HttpRequestMessage(HttpMethod.Post, new Uri(member, DacRoutes.BatchPath(batch))) { Content = new ByteArrayContent(data) };
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        req.Headers.Add(SubmitAuth.TimestampHeader, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        req.Headers.Add(SubmitAuth.NonceHeader, nonce);
        req.Headers.Add(SubmitAuth.SignatureHeader, sig);
        edit?.Invoke(req);
        using var res = await Http.SendAsync(req);
        return (res.StatusCode, await res.Content.ReadAsStringAsync());
    }

    private static string ErrorCode(string body) => JsonSerializer.Deserialize<ErrorResponse>(body)!.Error;

    [Fact]
    public async Task Stores_then_signs_the_attestation_digest_and_serves_the_batch_by_number_commitment_and_listing()
    {
        await using var c = await LocalCommittee.StartAsync(1, 1);
        var url = c.Urls[0];
        var data = LocalCommittee.BatchData(40, 1);
        var (status, body) = await Submit(url, 7, data, c.Sequencer, c.Domain);
        Assert.Equal(HttpStatusCode.OK, status);
        var answer = JsonSerializer.Deserialize<SubmitResponse>(body)!;
        var commitment = PoseidonSponge.Commit(PoseidonSponge.FromBytes(data));
        Assert.Equal(Hex.Encode(commitment.ToBigEndianBytes()), answer.Commitment);
        var sig = EcdsaSignature.FromBytes(Hex.Decode(answer.Signature));
        // personal_sign over the digest, recovered with the generic ecrecover path, not the committee code.
        Assert.Equal(c.Keys[0].Address, EthereumEcdsa.Recover(Eip191.HashPersonalMessage(Hex.Decode(answer.Digest)), sig));
        Assert.Equal(c.Keys[0].Address.ToString(), answer.Signer);

        using var byNumber = await Http.GetAsync(new Uri(url, DacRoutes.BatchPath(7)));
        Assert.Equal(data, await byNumber.Content.ReadAsByteArrayAsync());
        Assert.Equal(answer.Commitment, byNumber.Headers.GetValues(DacRoutes.CommitmentHeader).Single());
        using var byCommitment = await Http.GetAsync(new Uri(url, $"/v1/commitments/{answer.Commitment}"));
        Assert.Equal(data, await byCommitment.Content.ReadAsByteArrayAsync());
        Assert.Equal("7", byCommitment.Headers.GetValues(DacRoutes.BatchHeader).Single());

        Assert.Equal(HttpStatusCode.OK, (await Submit(url, 9, LocalCommittee.BatchData(3, 2), c.Sequencer, c.Domain)).Status);
        var page = JsonSerializer.Deserialize<BatchPage>(await Http.GetStringAsync(new Uri(url, "/v1/batches?from=0&limit=1")))!;
        Assert.Equal(7ul, Assert.Single(page.Batches).Number);
        Assert.Equal(9ul, page.Next);
        page = JsonSerializer.Deserialize<BatchPage>(await Http.GetStringAsync(new Uri(url, "/v1/batches?from=9")))!;
        Assert.Equal([9ul], page.Batches.Select(b => b.Number));
        Assert.Equal(96, page.Batches[0].Size);
        Assert.Null(page.Next);

        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync(new Uri(url, DacRoutes.BatchPath(8)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync(new Uri(url, "/v1/batches/-1"))).StatusCode);
        var info = JsonSerializer.Deserialize<MemberInfo>(await Http.GetStringAsync(new Uri(url, DacRoutes.Info)))!;
        Assert.True(info.IsMember);
        Assert.Equal("static", info.CommitteeSource);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(url, DacRoutes.Health))).StatusCode);

        var metrics = await Http.GetStringAsync(new Uri(url, DacRoutes.Metrics));
        Assert.Contains("validium_dac_submissions_total{", metrics);
        Assert.Contains("result=\"signed\"", metrics);
    }

    [Fact]
    public async Task Unauthenticated_stale_replayed_and_malformed_submissions_are_refused_and_store_nothing()
    {
        await using var c = await LocalCommittee.StartAsync(1, 1);
        var url = c.Urls[0];
        var data = LocalCommittee.BatchData(4, 3);

        var (status, body) = await Submit(url, 1, data, Secp256k1PrivateKey.Generate(), c.Domain);
        Assert.Equal((HttpStatusCode.Unauthorized, DacErrors.Unauthenticated), (status, ErrorCode(body)));
        // Signed by the sequencer, but for another deployment: the digest differs, so it recovers to someone else.
        (status, body) = await Submit(url, 1, data, c.Sequencer, c.Domain with { ChainId = 1 });
        Assert.Equal((HttpStatusCode.Unauthorized, DacErrors.Unauthenticated), (status, ErrorCode(body)));
        // Signed over other bytes than those sent.
        var signedOther = SubmitAuth.Sign(c.Sequencer, c.Domain, 1, LocalCommittee.BatchData(4, 4), DateTimeOffset.UtcNow);
        (status, body) = await Submit(url, 1, data, c.Sequencer, c.Domain, reuse: signedOther);
        Assert.Equal((HttpStatusCode.Unauthorized, DacErrors.Unauthenticated), (status, ErrorCode(body)));
        (status, body) = await Submit(url, 1, data, c.Sequencer, c.Domain, edit: r => r.Headers.Remove(SubmitAuth.SignatureHeader));
        Assert.Equal((HttpStatusCode.Unauthorized, DacErrors.Unauthenticated), (status, ErrorCode(body)));
        (status, body) = await Submit(url, 1, data, c.Sequencer, c.Domain, clockOffset: TimeSpan.FromMinutes(-2));
        Assert.Equal((HttpStatusCode.Unauthorized, DacErrors.Stale), (status, ErrorCode(body)));
        (status, body) = await Submit(url, 1, data, c.Sequencer, c.Domain, clockOffset: TimeSpan.FromMinutes(2));
        Assert.Equal((HttpStatusCode.Unauthorized, DacErrors.Stale), (status, ErrorCode(body)));
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync(new Uri(url, DacRoutes.BatchPath(1)))).StatusCode);

        var headers = SubmitAuth.Sign(c.Sequencer, c.Domain, 1, data, DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.OK, (await Submit(url, 1, data, c.Sequencer, c.Domain, reuse: headers)).Status);
        (status, body) = await Submit(url, 1, data, c.Sequencer, c.Domain, reuse: headers);
        Assert.Equal((HttpStatusCode.Unauthorized, DacErrors.Replayed), (status, ErrorCode(body)));

        // The nonce record survives a restart: the same captured request is still a replay.
        await c.StopMemberAsync(0);
        await c.StartMemberAsync(0);
        (status, body) = await Submit(c.Urls[0], 1, data, c.Sequencer, c.Domain, reuse: headers);
        Assert.Equal((HttpStatusCode.Unauthorized, DacErrors.Replayed), (status, ErrorCode(body)));
    }

    [Fact]
    public async Task A_signed_batch_number_is_never_signed_for_other_data_and_the_same_data_gets_the_same_signature()
    {
        await using var c = await LocalCommittee.StartAsync(1, 1);
        var url = c.Urls[0];
        var data = LocalCommittee.BatchData(20, 5);
        var first = await Submit(url, 3, data, c.Sequencer, c.Domain);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var again = await Submit(url, 3, data, c.Sequencer, c.Domain);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(JsonSerializer.Deserialize<SubmitResponse>(first.Body), JsonSerializer.Deserialize<SubmitResponse>(again.Body));

        var (status, body) = await Submit(url, 3, LocalCommittee.BatchData(20, 6), c.Sequencer, c.Domain);
        Assert.Equal((HttpStatusCode.Conflict, DacErrors.Conflict), (status, ErrorCode(body)));
        Assert.Equal(data, await Http.GetByteArrayAsync(new Uri(url, DacRoutes.BatchPath(3))));
    }

    [Fact]
    public async Task Oversized_data_bad_field_words_and_a_member_outside_the_committee_are_refused()
    {
        var outsider = Secp256k1PrivateKey.Generate();
        await using var c = await LocalCommittee.StartAsync(2, 1, tweak: (i, o) =>
        {
            o.MaxBatchBytes = 1024;
            // Member 1 believes in a committee it is not part of.
            if (i == 1) o.Committee = new MemberOptions.StaticCommitteeOptions { Members = [outsider.Address.ToString()], Threshold = 1 };
        });
        var url = c.Urls[0];
        var (status, body) = await Submit(url, 1, LocalCommittee.BatchData(33, 1), c.Sequencer, c.Domain);
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, DacErrors.TooLarge), (status, ErrorCode(body)));
        (status, body) = await Submit(url, 1, new byte[33], c.Sequencer, c.Domain);
        Assert.Equal((HttpStatusCode.BadRequest, DacErrors.BadData), (status, ErrorCode(body)));
        var notBelowR = Enumerable.Repeat((byte)0xff, 32).ToArray();
        (status, body) = await Submit(url, 1, notBelowR, c.Sequencer, c.Domain);
        Assert.Equal((HttpStatusCode.BadRequest, DacErrors.BadData), (status, ErrorCode(body)));
        Assert.Contains("word 0", JsonSerializer.Deserialize<ErrorResponse>(body)!.Message);
        (status, body) = await Submit(url, 1, [], c.Sequencer, c.Domain);
        Assert.Equal((HttpStatusCode.BadRequest, DacErrors.BadData), (status, ErrorCode(body)));

        (status, body) = await Submit(c.Urls[1], 1, LocalCommittee.BatchData(2, 1), c.Sequencer, c.Domain);
        Assert.Equal((HttpStatusCode.Forbidden, DacErrors.NotAMember), (status, ErrorCode(body)));
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync(new Uri(c.Urls[1], DacRoutes.BatchPath(1)))).StatusCode);
    }

    [Fact]
    public async Task Damaged_storage_is_detected_on_read_and_reported_not_served()
    {
        await using var c = await LocalCommittee.StartAsync(1, 1);
        var data = LocalCommittee.BatchData(64, 7);
        Assert.Equal(HttpStatusCode.OK, (await Submit(c.Urls[0], 5, data, c.Sequencer, c.Domain)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Submit(c.Urls[0], 6, LocalCommittee.BatchData(8, 8), c.Sequencer, c.Domain)).Status);
        await c.StopMemberAsync(0);

        // Flip one bit of batch 5's compressed data and one of batch 6's stored commitment, underneath the member.
        var dir = c.Options(0).DataDir;
        var families = new ColumnFamilies { { BatchStore.BatchesFamily, new ColumnFamilyOptions() }, { BatchStore.CommitmentsFamily, new ColumnFamilyOptions() }, { BatchStore.NoncesFamily, new ColumnFamilyOptions() } };
        using (var db = RocksDb.Open(new DbOptions(), dir, families))
        {
            var cf = db.GetColumnFamily(BatchStore.BatchesFamily);
            var record = db.Get(BatchStore.NumberKey(5), cf);
            record[^10] ^= 0x01;
            db.Put(BatchStore.NumberKey(5), record, cf);
            record = db.Get(BatchStore.NumberKey(6), cf);
            record[5] ^= 0x01;
            db.Put(BatchStore.NumberKey(6), record, cf);
        }

        await c.StartMemberAsync(0);
        foreach (var n in new ulong[] { 5, 6 })
        {
            using var res = await Http.GetAsync(new Uri(c.Urls[0], DacRoutes.BatchPath(n)));
            Assert.Equal(HttpStatusCode.InternalServerError, res.StatusCode);
            Assert.Equal(DacErrors.Corrupted, ErrorCode(await res.Content.ReadAsStringAsync()));
        }
        Assert.Contains("result=\"corrupted\"", await Http.GetStringAsync(new Uri(c.Urls[0], DacRoutes.Metrics)));
    }
}
