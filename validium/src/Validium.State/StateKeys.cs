using System.Buffers.Binary;
using Validium.Crypto;

namespace Validium.State;

/// <summary>One node of one tree: level 0 holds the leaves, level = depth the root.</summary>
internal readonly record struct NodeKey(TreeId Tree, int Level, ulong Index);

/// <summary>
/// Byte layouts in the database. Nodes: kind (1) | owner (8, big-endian) | level (1) | index (8, big-endian),
/// so one tree's nodes are contiguous and sorted by level then index. Meta keys start with the same tree
/// prefix, then a tag; big-endian batch numbers make "latest root at or before batch b" one backward seek.
/// Field elements are stored as 32 canonical big-endian bytes.
/// </summary>
internal static class StateKeys
{
    public const int NodeKeyLength = 18;
    public const int TreePrefixLength = 9;
    public const int ValueLength = 32;

    private const byte DepthTag = (byte)'D';
    private const byte BatchRootTag = (byte)'R';

    /// <summary>The store-wide record of the last committed batch number.</summary>
    public static readonly byte[] LastBatch = "last-batch"u8.ToArray();

    public static void WriteNode(in NodeKey key, Span<byte> dst)
    {
        WriteTree(key.Tree, dst);
        dst[9] = (byte)key.Level;
        BinaryPrimitives.WriteUInt64BigEndian(dst[10..], key.Index);
    }

    public static byte[] Node(in NodeKey key)
    {
        var k = new byte[NodeKeyLength];
        WriteNode(key, k);
        return k;
    }

    public static byte[] Depth(TreeId tree) => Tagged(tree, DepthTag, 0);

    public static byte[] BatchRoot(TreeId tree, ulong batch)
    {
        var k = Tagged(tree, BatchRootTag, 8);
        BinaryPrimitives.WriteUInt64BigEndian(k.AsSpan(TreePrefixLength + 1), batch);
        return k;
    }

    /// <summary>True when <paramref name="key"/> is a per-batch root record of <paramref name="tree"/>.</summary>
    public static bool IsBatchRootOf(ReadOnlySpan<byte> key, TreeId tree)
    {
        Span<byte> prefix = stackalloc byte[TreePrefixLength + 1];
        WriteTree(tree, prefix);
        prefix[TreePrefixLength] = BatchRootTag;
        return key.Length == TreePrefixLength + 9 && key.StartsWith(prefix);
    }

    public static ulong BatchOfRootKey(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadUInt64BigEndian(key[(TreePrefixLength + 1)..]);

    public static byte[] Value(Fr v)
    {
        var b = new byte[ValueLength];
        v.WriteBigEndian(b);
        return b;
    }

    public static Fr ReadValue(ReadOnlySpan<byte> b, string what)
    {
        if (b.Length != ValueLength) throw new InvalidDataException($"{what}: stored value has {b.Length} bytes, expected {ValueLength}");
        try
        {
            return Fr.ReadBigEndian(b);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{what}: stored value is not a field element", e);
        }
    }

    public static byte[] UInt64(ulong v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, v);
        return b;
    }

    public static ulong ReadUInt64(ReadOnlySpan<byte> b, string what) =>
        b.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(b) : throw new InvalidDataException($"{what}: stored value has {b.Length} bytes, expected 8");

    private static void WriteTree(TreeId tree, Span<byte> dst)
    {
        dst[0] = (byte)tree.Kind;
        BinaryPrimitives.WriteUInt64BigEndian(dst[1..], tree.Owner);
    }

    private static byte[] Tagged(TreeId tree, byte tag, int extra)
    {
        var k = new byte[TreePrefixLength + 1 + extra];
        WriteTree(tree, k);
        k[TreePrefixLength] = tag;
        return k;
    }
}
