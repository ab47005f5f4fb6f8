pragma circom 2.1.0;
include "circomlib/circuits/poseidon.circom";

// N chained Poseidon(2) hashes (240 constraints each): a benchmark circuit of about 240·N constraints.
template Chain(N) {
    signal input x;
    signal output out;
    component h[N];
    for (var i = 0; i < N; i++) {
        h[i] = Poseidon(2);
        h[i].inputs[0] <== i == 0 ? x : h[i - 1].out;
        h[i].inputs[1] <== i;
    }
    out <== h[N - 1].out;
}
