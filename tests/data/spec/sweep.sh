#!/bin/sh
# sweep.sh FILE...: memprobe_mtp base + spec over contexts, ubatch, sequences, n_max, KV types
for f in "$@"; do
for cfg in "4096 512 2048 1 f16 f16 on 1 0 3 f16 f16" "32768 512 2048 1 f16 f16 on 1 0 3 f16 f16" "4096 2048 2048 1 f16 f16 on 1 0 3 f16 f16" "4096 512 2048 4 f16 f16 on 1 0 3 f16 f16" "4096 512 2048 4 f16 f16 on 0 0 3 f16 f16" "4096 512 2048 1 f16 f16 on 1 0 1 f16 f16" "4096 512 2048 1 f16 f16 on 1 0 8 f16 f16" "4096 512 2048 1 q8_0 q8_0 on 1 0 3 q8_0 q8_0" "4096 512 2048 1 q8_0 q8_0 on 1 0 3 f16 f16" "4096 512 2048 1 f16 f16 off 1 0 3 f16 f16" "131072 512 2048 1 f16 f16 on 1 0 3 f16 f16"; do
  b=$(./memprobe_mtp $f $cfg base 2>/dev/null | sed 's/,"buffers".*//')
  s=$(./memprobe_mtp $f $cfg spec 2>/dev/null | sed 's/"buffers":{[^}]*}}//g')
  echo "$(basename $f .gguf)|$cfg|$b|$s"
done; done
