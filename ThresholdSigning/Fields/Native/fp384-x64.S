# BLS12-381 F_p word-product kernels for x86-64 with BMI2 (mulx) and ADX (adcx/adox).
#
# Each kernel computes exactly what its managed counterpart computes (the managed code is the fallback and the
# reference the tests compare against):
#   fp384_mul_wide(r, a, b)  r[0..11] = a*b, the full 768-bit product            (FpWide.Multiply)
#   fp384_sqr_wide(r, a)     r[0..11] = a*a                                      (FpWide.Square)
#   fp384_redc(r, x)         r[0..5]  = x*2^-384 mod p for x < p*2^384           (FpWide.Reduce)
#   fp384_mul_mont(r, a, b)  r[0..5]  = a*b*2^-384 mod p for a, b < p            (Fp.operator *)
#   fp384_sqr_mont(r, a)     r[0..5]  = a*a*2^-384 mod p for a < p               (Fp.Square)
# Limbs are little-endian 64-bit words. r must not overlap a, b or x (the callers pass a fresh local).
#
# System V ABI (rdi, rsi, rdx), general-purpose registers only: no SSE/AVX state is touched, so a call from managed
# code pays no AVX-SSE transition. Position-independent: the only data (p and -p^-1 mod 2^64) is read RIP-relative
# from the table at the end, so the assembled bytes run wherever they are copied. Regenerate the C# byte array with
# scripts/assemble-fp-kernels.sh after any change here.

    .intel_syntax noprefix
    .text

# One schoolbook row after the first: (t0..t5, t6) = (t0..t5) + a_i*b, where t6 is a fresh register that receives the
# top word. a_i is at [rsi + off], b at [rcx]. Low halves of the word products go through the OF chain (adox), high halves through the
# CF chain (adcx); both chains end in t6, which cannot overflow because the row's sum fits in seven words.
.macro MULROW off, t0, t1, t2, t3, t4, t5, t6
    mov rdx, qword ptr [rsi + \off]
    xor eax, eax
    mulx r14, r13, qword ptr [rcx]
    adox \t0, r13
    adcx \t1, r14
    mulx r14, r13, qword ptr [rcx + 8]
    adox \t1, r13
    adcx \t2, r14
    mulx r14, r13, qword ptr [rcx + 16]
    adox \t2, r13
    adcx \t3, r14
    mulx r14, r13, qword ptr [rcx + 24]
    adox \t3, r13
    adcx \t4, r14
    mulx r14, r13, qword ptr [rcx + 32]
    adox \t4, r13
    adcx \t5, r14
    mulx \t6, r13, qword ptr [rcx + 40]
    adox \t5, r13
    adcx \t6, rax
    adox \t6, rax
.endm

# out[0..11] = a*b with a at [rsi], b at [rcx]; out is a base register (rdi or rsp).
# Uses rax, rdx, r13, r14 and the seven accumulators r8, r9, r10, r11, rbx, rbp, r12 (renamed row by row).
.macro MUL384 out
    mov rdx, qword ptr [rsi]
    mulx r9, r8, qword ptr [rcx]
    mulx r10, r13, qword ptr [rcx + 8]
    add r9, r13
    mulx r11, r13, qword ptr [rcx + 16]
    adc r10, r13
    mulx rbx, r13, qword ptr [rcx + 24]
    adc r11, r13
    mulx rbp, r13, qword ptr [rcx + 32]
    adc rbx, r13
    mulx r12, r13, qword ptr [rcx + 40]
    adc rbp, r13
    adc r12, 0
    mov qword ptr [\out], r8
    MULROW 8, r9, r10, r11, rbx, rbp, r12, r8
    mov qword ptr [\out + 8], r9
    MULROW 16, r10, r11, rbx, rbp, r12, r8, r9
    mov qword ptr [\out + 16], r10
    MULROW 24, r11, rbx, rbp, r12, r8, r9, r10
    mov qword ptr [\out + 24], r11
    MULROW 32, rbx, rbp, r12, r8, r9, r10, r11
    mov qword ptr [\out + 32], rbx
    MULROW 40, rbp, r12, r8, r9, r10, r11, rbx
    mov qword ptr [\out + 40], rbp
    mov qword ptr [\out + 48], r12
    mov qword ptr [\out + 56], r8
    mov qword ptr [\out + 64], r9
    mov qword ptr [\out + 72], r10
    mov qword ptr [\out + 80], r11
    mov qword ptr [\out + 88], rbx
.endm

# One Montgomery round on the six-word window t0..t5: m = t0*(-p^-1) mod 2^64, window += m*p, which clears t0; the
# window then shifts down one word and t0's register receives the new top word (hi(m*p5) plus both chains' carries;
# below 2^62, so it cannot overflow). The window stays below 2^384: (t + m*p)/2^64 < 2^320 + p.
.macro REDROUND t0, t1, t2, t3, t4, t5
    mov rdx, \t0
    imul rdx, qword ptr [rip + fp384_inv]
    xor eax, eax
    mulx r14, r13, qword ptr [rip + fp384_p]
    adox \t0, r13
    adcx \t1, r14
    mulx r14, r13, qword ptr [rip + fp384_p + 8]
    adox \t1, r13
    adcx \t2, r14
    mulx r14, r13, qword ptr [rip + fp384_p + 16]
    adox \t2, r13
    adcx \t3, r14
    mulx r14, r13, qword ptr [rip + fp384_p + 24]
    adox \t3, r13
    adcx \t4, r14
    mulx r14, r13, qword ptr [rip + fp384_p + 32]
    adox \t4, r13
    adcx \t5, r14
    mulx \t0, r13, qword ptr [rip + fp384_p + 40]
    adox \t5, r13
    adcx \t0, rax
    adox \t0, rax
.endm

# out[0..5] = in[0..11]*2^-384 mod p for in < p*2^384. The six rounds reduce the low half alone to
# L = (x_lo + M*p)/2^384 (M depends only on the low words, so it is the M of the full reduction); then
# T = L + x_hi = (x + M*p)/2^384 < 2p, and one conditional subtraction of p gives the result.
# Uses rax, rcx, rdx, r8-r14, rbx, rbp.
.macro REDC384 out, in
    mov r8, qword ptr [\in]
    mov r9, qword ptr [\in + 8]
    mov r10, qword ptr [\in + 16]
    mov r11, qword ptr [\in + 24]
    mov rbx, qword ptr [\in + 32]
    mov rbp, qword ptr [\in + 40]
    REDROUND r8, r9, r10, r11, rbx, rbp
    REDROUND r9, r10, r11, rbx, rbp, r8
    REDROUND r10, r11, rbx, rbp, r8, r9
    REDROUND r11, rbx, rbp, r8, r9, r10
    REDROUND rbx, rbp, r8, r9, r10, r11
    REDROUND rbp, r8, r9, r10, r11, rbx
    add r8, qword ptr [\in + 48]
    adc r9, qword ptr [\in + 56]
    adc r10, qword ptr [\in + 64]
    adc r11, qword ptr [\in + 72]
    adc rbx, qword ptr [\in + 80]
    adc rbp, qword ptr [\in + 88]
    FINALSUB \out
.endm

# out[0..5] = T - p if T >= p else T, for T in r8, r9, r10, r11, rbx, rbp (T < 2p); branch-free.
.macro FINALSUB out
    mov rax, r8
    mov rcx, r9
    mov rdx, r10
    mov r12, r11
    mov r13, rbx
    mov r14, rbp
    sub rax, qword ptr [rip + fp384_p]
    sbb rcx, qword ptr [rip + fp384_p + 8]
    sbb rdx, qword ptr [rip + fp384_p + 16]
    sbb r12, qword ptr [rip + fp384_p + 24]
    sbb r13, qword ptr [rip + fp384_p + 32]
    sbb r14, qword ptr [rip + fp384_p + 40]
    cmovc rax, r8
    cmovc rcx, r9
    cmovc rdx, r10
    cmovc r12, r11
    cmovc r13, rbx
    cmovc r14, rbp
    mov qword ptr [\out], rax
    mov qword ptr [\out + 8], rcx
    mov qword ptr [\out + 16], rdx
    mov qword ptr [\out + 24], r12
    mov qword ptr [\out + 32], r13
    mov qword ptr [\out + 40], r14
.endm

.macro PUSHALL
    push rbx
    push rbp
    push r12
    push r13
    push r14
.endm

.macro POPALL
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
.endm

    .p2align 5
fp384_mul_wide:
    PUSHALL
    mov rcx, rdx
    MUL384 rdi
    POPALL
    ret

    .p2align 5
fp384_sqr_wide:
    # The plain product for now: the square is the same integer.
    mov rdx, rsi
    jmp fp384_mul_wide

    .p2align 5
fp384_redc:
    PUSHALL
    REDC384 rdi, rsi
    POPALL
    ret

    .p2align 5
fp384_mul_mont:
    PUSHALL
    sub rsp, 96
    mov rcx, rdx
    MUL384 rsp
    REDC384 rdi, rsp
    add rsp, 96
    POPALL
    ret

    .p2align 5
fp384_sqr_mont:
    PUSHALL
    sub rsp, 96
    mov rcx, rsi
    MUL384 rsp
    REDC384 rdi, rsp
    add rsp, 96
    POPALL
    ret

    .p2align 3
fp384_p:
    .quad 0xb9feffffffffaaab, 0x1eabfffeb153ffff, 0x6730d2a0f6b0f624
    .quad 0x64774b84f38512bf, 0x4b1ba7b6434bacd7, 0x1a0111ea397fe69a
fp384_inv:
    .quad 0x89f3fffcfffcfffd
