namespace Validium.Crypto.Tests;

[Collection(FieldVec8Collection.Name)]
public class PoseidonBatchTests
{
    public static TheoryData<bool, int> PathsAndArities()
    {
        var data = new TheoryData<bool, int>();
        foreach (var scalar in new[] { false, true })
            for (int arity = 1; arity <= Poseidon.MaxInputs; arity++) data.Add(scalar, arity);
        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAndArities))]
    public void Batch_equals_one_at_a_time(bool scalar, int arity) => VecPath.Run(scalar, () =>
    {
        var rng = new Random(arity);
        foreach (var count in new[] { 0, 1, 7, 8, 9, 100 })
        {
            // Specials first so every count sees zero, one and -1 inputs in some lane.
            var inputs = Enumerable.Range(0, count * arity)
                .Select(i => i switch { 0 => Fr.Zero, 1 => Fr.One, 2 => -Fr.One, _ => Fr.Random(rng) }).ToArray();
            var outputs = new Fr[count];
            Poseidon.HashBatch(inputs, arity, outputs);
            for (int i = 0; i < count; i++)
                Assert.Equal(Poseidon.Hash(inputs.AsSpan(i * arity, arity)), outputs[i]);
        }
    });

    public static TheoryData<bool> Paths => new() { false, true };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Batch_matches_circomlibjs(bool scalar) => VecPath.Run(scalar, () =>
    {
        var vectors = CircomlibVectors.Get("poseidon").EnumerateArray()
            .Select(v => (Inputs: v.GetProperty("inputs").EnumerateArray().Select(e => Fr.Parse(e.GetString()!)).ToArray(), Output: v.Fr("output")))
            .ToArray();
        Assert.NotEmpty(vectors);
        foreach (var group in vectors.GroupBy(v => v.Inputs.Length))
        {
            var items = group.ToArray();
            var outputs = new Fr[items.Length];
            Poseidon.HashBatch(items.SelectMany(v => v.Inputs).ToArray(), group.Key, outputs);
            Assert.Equal(items.Select(v => v.Output), outputs);
        }
    });

    [Fact]
    public void Rejects_mismatched_lengths_and_arity()
    {
        Assert.Throws<ArgumentException>(() => Poseidon.HashBatch(new Fr[5], 2, new Fr[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Poseidon.HashBatch(new Fr[0], 0, new Fr[0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Poseidon.HashBatch(new Fr[17], 17, new Fr[1]));
    }
}
