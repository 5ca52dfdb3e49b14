# BLS12-381 F_p word-product kernels for x86-64 with BMI2 (mulx) and ADX (adcx/adox).
#
# Each kernel computes exactly what its managed counterpart computes (the managed code is the fallback and the
# reference the tests compare against):
#   fp384_mul_wide(r, a, b)  r[0..11] = a*b, the full 768-bit product            (FpWide.Multiply)
#   fp384_sqr_wide(r, a)     r[0..11] = a*a                                      (FpWide.Square)
#   fp384_redc(r, x)         r[0..5]  = x*2^-384 mod p for x < p*2^384           (FpWide.Reduce)
#   fp384_mul_mont(r, a, b)  r[0..5]  = a*b*2^-384 mod p for a, b < p            (Fp.operator *)
#   fp384_sqr_mont(r, a)     r[0..5]  = a*a*2^-384 mod p for a < p               (Fp.Square)
#   fp2_redc(r, x)           r[0..11] = both parts of a double-width F_p2 value reduced (Fp2Wide.Reduce)
#   fp768_add(r, a, b)       r[0..11] = a+b mod p*2^384 for a, b < p*2^384       (FpWide.operator +)
#   fp768_sub(r, a, b)       r[0..11] = a-b mod p*2^384 for a, b < p*2^384       (FpWide.operator -)
#   fp2_mul_wide(r, a, b)    r[0..23] = the Karatsuba product of F_p2 elements   (Fp2Wide.Multiply)
#   fp2_sqr_wide(r, a)       r[0..23] = the complex square of an F_p2 element    (Fp2Wide.Square)
#   fp2_mul_mont(r, a, b)    r[0..11] = a*b in F_p2, both parts reduced         (Fp2 operator *)
#   fp2_sqr_mont(r, a)       r[0..11] = a^2 in F_p2, both parts reduced         (Fp2.Square)
#   fp6_mul(r, a, b)         r[0..35] = a*b in F_p6 (three F_p2 coefficients)   (Fp6.operator *)
#   fp6_add(r, a, b)         r[0..35] = a+b in F_p6, coefficient by coefficient (Fp6.operator +)
#   fp6_sub(r, a, b)         r[0..35] = a-b in F_p6, coefficient by coefficient (Fp6.operator -)
#   cyclo_sqr(r, g)          r[0..47] = the compressed cyclotomic square        (CompressedCyclotomic.Square)
# An F_p2 element is its two F_p coefficients in a row (c0 then c1), a double-width F_p2 value the same at 12 words each.
# Limbs are little-endian 64-bit words. r must not overlap a, b or x (the callers pass a fresh local).
#
# System V ABI (rdi, rsi, rdx), general-purpose registers only: no SSE/AVX state is touched, so a call from managed
# code pays no AVX-SSE transition. Each entry point starts with endbr64 (a no-op without CET), so that it stays
# callable through a pointer where indirect-branch tracking is enforced. Position-independent: the only data (p,
# -p^-1 mod 2^64, p^2, 2p^2 and a zero word) is read RIP-relative from the table at the end, so the assembled bytes run wherever
# they are copied. Regenerate the C# byte array with scripts/assemble-fp-kernels.sh after any change here.

    .intel_syntax noprefix
    .text

# One schoolbook row after the first: (t0..t5, t6) = (t0..t5) + a_i*b, where t6 is a fresh register that receives the
# top word. a_i is at [a + off], b at [b]. Low halves of the word products go through the OF chain (adox), high halves through the
# CF chain (adcx); both chains end in t6, which cannot overflow because the row's sum fits in seven words.
.macro MULROW a, b, off, t0, t1, t2, t3, t4, t5, t6
    mov rdx, qword ptr [\a + \off]
    xor eax, eax
    mulx r14, r13, qword ptr [\b]
    adox \t0, r13
    adcx \t1, r14
    mulx r14, r13, qword ptr [\b + 8]
    adox \t1, r13
    adcx \t2, r14
    mulx r14, r13, qword ptr [\b + 16]
    adox \t2, r13
    adcx \t3, r14
    mulx r14, r13, qword ptr [\b + 24]
    adox \t3, r13
    adcx \t4, r14
    mulx r14, r13, qword ptr [\b + 32]
    adox \t4, r13
    adcx \t5, r14
    mulx \t6, r13, qword ptr [\b + 40]
    adox \t5, r13
    adcx \t6, rax
    adox \t6, rax
.endm

# r8, r9, r10, r11, rbx, rbp = the six words at x.
.macro LOAD384 x
    mov r8, qword ptr [\x]
    mov r9, qword ptr [\x + 8]
    mov r10, qword ptr [\x + 16]
    mov r11, qword ptr [\x + 24]
    mov rbx, qword ptr [\x + 32]
    mov rbp, qword ptr [\x + 40]
.endm

# The first schoolbook row: r8, r9, r10, r11, rbx, rbp, r12 = a_0*b. Uses rdx, r13.
.macro FIRSTROW a, b
    mov rdx, qword ptr [\a]
    mulx r9, r8, qword ptr [\b]
    mulx r10, r13, qword ptr [\b + 8]
    add r9, r13
    mulx r11, r13, qword ptr [\b + 16]
    adc r10, r13
    mulx rbx, r13, qword ptr [\b + 24]
    adc r11, r13
    mulx rbp, r13, qword ptr [\b + 32]
    adc rbx, r13
    mulx r12, r13, qword ptr [\b + 40]
    adc rbp, r13
    adc r12, 0
.endm

# out[0..11] = a*b; out, a and b are base addresses (a register, or a register+offset without spaces).
# Uses rax, rdx, r13, r14 and the seven accumulators r8, r9, r10, r11, rbx, rbp, r12 (renamed row by row).
.macro MUL384 out, a, b
    FIRSTROW \a, \b
    mov qword ptr [\out], r8
    MULROW \a, \b, 8, r9, r10, r11, rbx, rbp, r12, r8
    mov qword ptr [\out + 8], r9
    MULROW \a, \b, 16, r10, r11, rbx, rbp, r12, r8, r9
    mov qword ptr [\out + 16], r10
    MULROW \a, \b, 24, r11, rbx, rbp, r12, r8, r9, r10
    mov qword ptr [\out + 24], r11
    MULROW \a, \b, 32, rbx, rbp, r12, r8, r9, r10, r11
    mov qword ptr [\out + 32], rbx
    MULROW \a, \b, 40, rbp, r12, r8, r9, r10, r11, rbx
    mov qword ptr [\out + 40], rbp
    mov qword ptr [\out + 48], r12
    mov qword ptr [\out + 56], r8
    mov qword ptr [\out + 64], r9
    mov qword ptr [\out + 72], r10
    mov qword ptr [\out + 80], r11
    mov qword ptr [\out + 88], rbx
.endm

# The start of a Montgomery round on the window t0..t5: m = t0*(-p^-1) mod 2^64 in rdx, CF and OF cleared (with rax
# zeroed for the caller's final carries when lo is r13; REDROUNDM's window holds rax, so it only tests), and
# m*p0..m*p4 added (low halves by adox from t0, high halves by adcx from t1); the caller adds m*p5 and ends the chains.
.macro REDHEAD t0, t1, t2, t3, t4, t5, lo, hi
    mov rdx, \t0
    imul rdx, qword ptr [rip + fp384_inv]
.ifc \lo, r13
    xor eax, eax
.else
    test edx, edx
.endif
    mulx \hi, \lo, qword ptr [rip + fp384_p]
    adox \t0, \lo
    adcx \t1, \hi
    mulx \hi, \lo, qword ptr [rip + fp384_p + 8]
    adox \t1, \lo
    adcx \t2, \hi
    mulx \hi, \lo, qword ptr [rip + fp384_p + 16]
    adox \t2, \lo
    adcx \t3, \hi
    mulx \hi, \lo, qword ptr [rip + fp384_p + 24]
    adox \t3, \lo
    adcx \t4, \hi
    mulx \hi, \lo, qword ptr [rip + fp384_p + 32]
    adox \t4, \lo
    adcx \t5, \hi
.endm

# One Montgomery round on the six-word window t0..t5: m = t0*(-p^-1) mod 2^64, window += m*p, which clears t0; the
# window then shifts down one word and t0's register receives the new top word (hi(m*p5) plus both chains' carries;
# below 2^62, so it cannot overflow). The window stays below 2^384: (t + m*p)/2^64 < 2^320 + p.
.macro REDROUND t0, t1, t2, t3, t4, t5
    REDHEAD \t0, \t1, \t2, \t3, \t4, \t5, r13, r14
    mulx \t0, r13, qword ptr [rip + fp384_p + 40]
    adox \t5, r13
    adcx \t0, rax
    adox \t0, rax
.endm

# A reduction round as REDROUND with lo and hi as temporaries and the carries taken from a zero word in memory, so that
# two reductions fit in the registers at once (REDC2X): rax is then a window register.
.macro REDROUNDM t0, t1, t2, t3, t4, t5
    REDHEAD \t0, \t1, \t2, \t3, \t4, \t5, rdi, rsi
    mulx \t0, rdi, qword ptr [rip + fp384_p + 40]
    adox \t5, rdi
    adcx \t0, qword ptr [rip + fp384_zero]
    adox \t0, qword ptr [rip + fp384_zero]
.endm

# out[0..5] = in[0..11]*2^-384 mod p for in < p*2^384. The six rounds reduce the low half alone to
# L = (x_lo + M*p)/2^384 (M depends only on the low words, so it is the M of the full reduction); then
# T = L + x_hi = (x + M*p)/2^384 < 2p, and one conditional subtraction of p gives the result.
# Uses rax, rcx, rdx, r8-r14, rbx, rbp.
.macro REDC384 out, in
    LOAD384 \in
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

# One CIOS reduction step on the seven-word t0..t6: t += m*p with m = t0*(-p^-1) mod 2^64, which clears t0; the caller
# then takes t1..t6 as the window and t0's register as the next fresh one. No carry leaves t6: (t + m*p)/2^64 stays
# below 2^384 as long as the window stays below 2p (Fp.cs's "no-carry" condition: p's top word has spare bits).
.macro REDSTEP t0, t1, t2, t3, t4, t5, t6
    REDHEAD \t0, \t1, \t2, \t3, \t4, \t5, r13, r14
    mulx r14, r13, qword ptr [rip + fp384_p + 40]
    adox \t5, r13
    adcx \t6, r14
    adox \t6, rax
.endm

# out[0..5] = a*b*2^-384 mod p for a, b < p (Fp.operator *): CIOS, each row a_i*b followed by its reduction step, so
# that the reduction's serial chain (each m waits for the previous step) overlaps the next row's products. The same
# T = (a*b + M*p)/2^384 as the separate product and reduction, then one conditional subtraction.
.macro MULMONT384 out, a, b
    FIRSTROW \a, \b
    REDSTEP r8, r9, r10, r11, rbx, rbp, r12
    MULROW \a, \b, 8, r9, r10, r11, rbx, rbp, r12, r8
    REDSTEP r9, r10, r11, rbx, rbp, r12, r8
    MULROW \a, \b, 16, r10, r11, rbx, rbp, r12, r8, r9
    REDSTEP r10, r11, rbx, rbp, r12, r8, r9
    MULROW \a, \b, 24, r11, rbx, rbp, r12, r8, r9, r10
    REDSTEP r11, rbx, rbp, r12, r8, r9, r10
    MULROW \a, \b, 32, rbx, rbp, r12, r8, r9, r10, r11
    REDSTEP rbx, rbp, r12, r8, r9, r10, r11
    MULROW \a, \b, 40, rbp, r12, r8, r9, r10, r11, rbx
    REDSTEP rbp, r12, r8, r9, r10, r11, rbx
    FINALSUB \out, r12, r8, r9, r10, r11, rbx, rax, rcx, rdx, r13, r14, rbp
.endm

# out[0..5] = T - p if T >= p else T, for T in t0..t5 (by default r8, r9, r10, r11, rbx, rbp; T < 2p), with c0..c5
# as the copies; branch-free.
.macro FINALSUB out, t0=r8, t1=r9, t2=r10, t3=r11, t4=rbx, t5=rbp, c0=rax, c1=rcx, c2=rdx, c3=r12, c4=r13, c5=r14
    mov \c0, \t0
    mov \c1, \t1
    mov \c2, \t2
    mov \c3, \t3
    mov \c4, \t4
    mov \c5, \t5
    sub \c0, qword ptr [rip + fp384_p]
    sbb \c1, qword ptr [rip + fp384_p + 8]
    sbb \c2, qword ptr [rip + fp384_p + 16]
    sbb \c3, qword ptr [rip + fp384_p + 24]
    sbb \c4, qword ptr [rip + fp384_p + 32]
    sbb \c5, qword ptr [rip + fp384_p + 40]
    cmovc \c0, \t0
    cmovc \c1, \t1
    cmovc \c2, \t2
    cmovc \c3, \t3
    cmovc \c4, \t4
    cmovc \c5, \t5
    mov qword ptr [\out], \c0
    mov qword ptr [\out + 8], \c1
    mov qword ptr [\out + 16], \c2
    mov qword ptr [\out + 24], \c3
    mov qword ptr [\out + 32], \c4
    mov qword ptr [\out + 40], \c5
.endm

# r8, r9, r10, r11, rbx, rbp = x + y (six words, no carry out: the callers' sums stay below 2^384).
.macro ADD384 x, y
    LOAD384 \x
    add r8, qword ptr [\y]
    adc r9, qword ptr [\y + 8]
    adc r10, qword ptr [\y + 16]
    adc r11, qword ptr [\y + 24]
    adc rbx, qword ptr [\y + 32]
    adc rbp, qword ptr [\y + 40]
.endm

.macro STORE384 out
    mov qword ptr [\out], r8
    mov qword ptr [\out + 8], r9
    mov qword ptr [\out + 16], r10
    mov qword ptr [\out + 24], r11
    mov qword ptr [\out + 32], rbx
    mov qword ptr [\out + 40], rbp
.endm

# out = x + y without reduction (FpWide.AddUnreduced). Uses r8-r11, rbx, rbp.
.macro ADDU384 out, x, y
    ADD384 \x, \y
    STORE384 \out
.endm

# out = x + y, less p if that reaches p (Fp.operator +, for x, y < p). Uses rax, rcx, rdx, r8-r14, rbx, rbp.
.macro ADDMOD384 out, x, y
    ADD384 \x, \y
    FINALSUB \out
.endm

# out = x - y, plus p if that borrows (Fp.operator -). Uses rax, rcx, rdx, r8-r14, rbx, rbp.
.macro SUBMOD384 out, x, y
    LOAD384 \x
    sub r8, qword ptr [\y]
    sbb r9, qword ptr [\y + 8]
    sbb r10, qword ptr [\y + 16]
    sbb r11, qword ptr [\y + 24]
    sbb rbx, qword ptr [\y + 32]
    sbb rbp, qword ptr [\y + 40]
    sbb rcx, rcx
    ADDMASKEDP384
    STORE384 \out
.endm

# r8, r9, r10, r11, rbx, rbp += p AND rcx (rcx all ones or zero). Uses rax, rdx, r12-r14; rcx ends as p5 AND mask.
.macro ADDMASKEDP384
    mov rax, qword ptr [rip + fp384_p]
    and rax, rcx
    mov rdx, qword ptr [rip + fp384_p + 8]
    and rdx, rcx
    mov r12, qword ptr [rip + fp384_p + 16]
    and r12, rcx
    mov r13, qword ptr [rip + fp384_p + 24]
    and r13, rcx
    mov r14, qword ptr [rip + fp384_p + 32]
    and r14, rcx
    and rcx, qword ptr [rip + fp384_p + 40]
    add r8, rax
    adc r9, rdx
    adc r10, r12
    adc r11, r13
    adc rbx, r14
    adc rbp, rcx
.endm

# The twelve registers that hold a 768-bit value, low word first: r8, r9, r10, r11, rbx, rbp | r12, r13, r14, rax,
# rdx, rsi. The base addresses of x and y must therefore be rdi, rcx, r15 or rsp.
.macro LOAD768 x
    LOAD384 \x
    mov r12, qword ptr [\x + 48]
    mov r13, qword ptr [\x + 56]
    mov r14, qword ptr [\x + 64]
    mov rax, qword ptr [\x + 72]
    mov rdx, qword ptr [\x + 80]
    mov rsi, qword ptr [\x + 88]
.endm

.macro SUB768 y
    sub r8, qword ptr [\y]
    sbb r9, qword ptr [\y + 8]
    sbb r10, qword ptr [\y + 16]
    sbb r11, qword ptr [\y + 24]
    sbb rbx, qword ptr [\y + 32]
    sbb rbp, qword ptr [\y + 40]
    sbb r12, qword ptr [\y + 48]
    sbb r13, qword ptr [\y + 56]
    sbb r14, qword ptr [\y + 64]
    sbb rax, qword ptr [\y + 72]
    sbb rdx, qword ptr [\y + 80]
    sbb rsi, qword ptr [\y + 88]
.endm

.macro STOREHIGH384 out
    mov qword ptr [\out + 48], r12
    mov qword ptr [\out + 56], r13
    mov qword ptr [\out + 64], r14
    mov qword ptr [\out + 72], rax
    mov qword ptr [\out + 80], rdx
    mov qword ptr [\out + 88], rsi
.endm

# Moves the high half of a 768-bit value into the registers of the low half.
.macro HIGHTOLOW
    mov r8, r12
    mov r9, r13
    mov r10, r14
    mov r11, rax
    mov rbx, rdx
    mov rbp, rsi
.endm

# out = x - y modulo p*2^384 (FpWide.operator -): on a borrow, p is added to the high half.
# Uses rax, rcx, rdx, rsi, r8-r14, rbx, rbp.
.macro SUBMOD768 out, x, y
    LOAD768 \x
    SUB768 \y
    sbb rcx, rcx
    STORE384 \out
    HIGHTOLOW
    ADDMASKEDP384
    STORE384 \out+48
.endm

# out = x + y modulo p*2^384 (FpWide.operator +): p is subtracted from the high half when that reaches p.
# Uses rax, rcx, rdx, rsi, r8-r14, rbx, rbp.
.macro ADDMOD768 out, x, y
    LOAD768 \x
    add r8, qword ptr [\y]
    adc r9, qword ptr [\y + 8]
    adc r10, qword ptr [\y + 16]
    adc r11, qword ptr [\y + 24]
    adc rbx, qword ptr [\y + 32]
    adc rbp, qword ptr [\y + 40]
    adc r12, qword ptr [\y + 48]
    adc r13, qword ptr [\y + 56]
    adc r14, qword ptr [\y + 64]
    adc rax, qword ptr [\y + 72]
    adc rdx, qword ptr [\y + 80]
    adc rsi, qword ptr [\y + 88]
    STORE384 \out
    HIGHTOLOW
    FINALSUB \out+48
.endm

# The Karatsuba product of the F_p2 elements at [rsi] and [rcx] into out (24 words), as Fp2Wide.Multiply: with
# t0 = a0*b0, t1 = a1*b1 and s = (a0 + a1)(b0 + b1) (sums unreduced), c0 = t0 - t1 modulo p*2^384 and
# c1 = s - t0 - t1 exactly. Needs 288 bytes at rsp: the two sums, then t0 and t1. Clobbers everything but rdi, rsp.
.macro FP2MULWIDE out
    ADDU384 rsp, rsi, rsi+48
    ADDU384 rsp+48, rcx, rcx+48
    MUL384 rsp+96, rsi, rcx
    MUL384 rsp+192, rsi+48, rcx+48
    MUL384 \out+96, rsp, rsp+48
    LOAD768 \out+96
    SUB768 rsp+96
    SUB768 rsp+192
    STORE384 \out+96
    STOREHIGH384 \out+96
    SUBMOD768 \out, rsp+96, rsp+192
.endm

# The complex square of the F_p2 element at [rsi] into out (24 words), as Fp2Wide.Square: c0 = (a0 + a1)(a0 - a1) and
# c1 = (2*a0)*a1, the sums and the difference taken modulo p. Needs 144 bytes at rsp. Clobbers everything but rdi, rsp.
.macro FP2SQRWIDE out
    ADDMOD384 rsp, rsi, rsi+48
    SUBMOD384 rsp+48, rsi, rsi+48
    ADDMOD384 rsp+96, rsi, rsi
    MUL384 \out+96, rsp+96, rsi+48
    MUL384 \out, rsp, rsp+48
.endm

.macro PUSHALL
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
.endm

.macro POPALL
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
.endm

# Internal subroutines: arguments in registers as noted, the caller having saved what the ABI asks (the entry points
# below push rbx, rbp, r12-r15 once). They keep the code small enough for the instruction cache: each product or
# reduction exists once, and the entry points and the F_p6 product call it.

# [rdi] = [rsi]*[rcx] (768 bits). Keeps rdi, rsi, rcx, r15.
    .p2align 5
mul384:
    MUL384 rdi, rsi, rcx
    ret

# [rdi] = Montgomery reduction of [rsi] (768 bits in, 384 out). Keeps rdi, rsi, r15.
    .p2align 5
redc384:
    REDC384 rdi, rsi
    ret

# [rdi] = reduction of [rsi] and [rdi + 48] = reduction of [rcx]: the two reductions of REDC384 with their rounds
# interleaved, so that one's multiplications fill the other's latency (each round waits for the previous one's low
# word). Window A is r8, r9, r10, r11, rbx, rbp; window B r12, r13, r14, r15, rcx, rax. Clobbers everything.
    .p2align 5
redc2x:
    sub rsp, 24
    mov qword ptr [rsp], rdi
    mov qword ptr [rsp + 8], rsi
    mov qword ptr [rsp + 16], rcx
    LOAD384 rsi
    mov r12, qword ptr [rcx]
    mov r13, qword ptr [rcx + 8]
    mov r14, qword ptr [rcx + 16]
    mov r15, qword ptr [rcx + 24]
    mov rax, qword ptr [rcx + 40]
    mov rcx, qword ptr [rcx + 32]
    REDROUNDM r8, r9, r10, r11, rbx, rbp
    REDROUNDM r12, r13, r14, r15, rcx, rax
    REDROUNDM r9, r10, r11, rbx, rbp, r8
    REDROUNDM r13, r14, r15, rcx, rax, r12
    REDROUNDM r10, r11, rbx, rbp, r8, r9
    REDROUNDM r14, r15, rcx, rax, r12, r13
    REDROUNDM r11, rbx, rbp, r8, r9, r10
    REDROUNDM r15, rcx, rax, r12, r13, r14
    REDROUNDM rbx, rbp, r8, r9, r10, r11
    REDROUNDM rcx, rax, r12, r13, r14, r15
    REDROUNDM rbp, r8, r9, r10, r11, rbx
    REDROUNDM rax, r12, r13, r14, r15, rcx
    mov rsi, qword ptr [rsp + 16]
    add r12, qword ptr [rsi + 48]
    adc r13, qword ptr [rsi + 56]
    adc r14, qword ptr [rsi + 64]
    adc r15, qword ptr [rsi + 72]
    adc rcx, qword ptr [rsi + 80]
    adc rax, qword ptr [rsi + 88]
    mov rdi, qword ptr [rsp]
    mov qword ptr [rdi + 48], r12
    mov qword ptr [rdi + 56], r13
    mov qword ptr [rdi + 64], r14
    mov qword ptr [rdi + 72], r15
    mov qword ptr [rdi + 80], rcx
    mov qword ptr [rdi + 88], rax
    mov rsi, qword ptr [rsp + 8]
    add r8, qword ptr [rsi + 48]
    adc r9, qword ptr [rsi + 56]
    adc r10, qword ptr [rsi + 64]
    adc r11, qword ptr [rsi + 72]
    adc rbx, qword ptr [rsi + 80]
    adc rbp, qword ptr [rsi + 88]
    FINALSUB rdi
    LOAD384 rdi+48
    FINALSUB rdi+48
    add rsp, 24
    ret

# [rdi] = [rcx] + [r15] modulo p*2^384. Keeps rdi, r15.
    .p2align 5
addmod768:
    ADDMOD768 rdi, rcx, r15
    ret

# [rdi] = [rcx] - [r15] modulo p*2^384. Keeps rdi, r15.
    .p2align 5
submod768:
    SUBMOD768 rdi, rcx, r15
    ret

# [rdi] = [rcx] + [r15] exactly (FpWide.AddExact; the caller knows the sum fits). Keeps rdi, r15.
    .p2align 5
addexact768:
    LOAD768 rcx
    add r8, qword ptr [r15]
    adc r9, qword ptr [r15 + 8]
    adc r10, qword ptr [r15 + 16]
    adc r11, qword ptr [r15 + 24]
    adc rbx, qword ptr [r15 + 32]
    adc rbp, qword ptr [r15 + 40]
    adc r12, qword ptr [r15 + 48]
    adc r13, qword ptr [r15 + 56]
    adc r14, qword ptr [r15 + 64]
    adc rax, qword ptr [r15 + 72]
    adc rdx, qword ptr [r15 + 80]
    adc rsi, qword ptr [r15 + 88]
    STORE384 rdi
    STOREHIGH384 rdi
    ret

# [rdi] = [rcx] - [r15] exactly (FpWide.SubtractExact; the caller knows it is non-negative). Keeps rdi, r15.
    .p2align 5
subexact768:
    LOAD768 rcx
    SUB768 r15
    STORE384 rdi
    STOREHIGH384 rdi
    ret

# [rdi] = [rcx] + k - [r15] for the 768-bit constant k at [rip + \k] (p^2 or 2p^2). Keeps rdi, r15.
.macro ADDCONSTSUB768 k
    LOAD768 rcx
    add r8, qword ptr [rip + \k]
    adc r9, qword ptr [rip + \k + 8]
    adc r10, qword ptr [rip + \k + 16]
    adc r11, qword ptr [rip + \k + 24]
    adc rbx, qword ptr [rip + \k + 32]
    adc rbp, qword ptr [rip + \k + 40]
    adc r12, qword ptr [rip + \k + 48]
    adc r13, qword ptr [rip + \k + 56]
    adc r14, qword ptr [rip + \k + 64]
    adc rax, qword ptr [rip + \k + 72]
    adc rdx, qword ptr [rip + \k + 80]
    adc rsi, qword ptr [rip + \k + 88]
    SUB768 r15
    STORE384 rdi
    STOREHIGH384 rdi
.endm

# [rdi] = [rcx] + p^2 - [r15] (with addexact768 before it, FpWide.AddSubtractBiased). Keeps rdi, r15.
    .p2align 5
addp2sub768:
    ADDCONSTSUB768 fp384_p2
    ret

# [rdi] = [rcx] + 2p^2 - [r15] (with subexact768 after it, FpWide.SubtractBiased). Keeps rdi, r15.
    .p2align 5
add2p2sub768:
    ADDCONSTSUB768 fp384_2p2
    ret

# [rdi] (24 words) = Karatsuba product of the F_p2 elements [rsi] and [rcx] (FP2MULWIDE). Keeps rdi.
    .p2align 5
fp2mulwide:
    sub rsp, 288
    FP2MULWIDE rdi
    add rsp, 288
    ret

# [rdi] (24 words) = complex square of the F_p2 element [rsi] (FP2SQRWIDE). Keeps rdi.
    .p2align 5
fp2sqrwide:
    sub rsp, 144
    FP2SQRWIDE rdi
    add rsp, 144
    ret

    .p2align 5
fp384_mul_wide:
    endbr64
    PUSHALL
    mov rcx, rdx
    call mul384
    POPALL
    ret

    .p2align 5
fp384_sqr_wide:
    endbr64
    PUSHALL
    mov rcx, rsi
    call mul384
    POPALL
    ret

    .p2align 5
fp384_redc:
    endbr64
    PUSHALL
    call redc384
    POPALL
    ret

    .p2align 5
fp384_mul_mont:
    endbr64
    PUSHALL
    mov rcx, rdx
    jmp 1f
fp384_sqr_mont:
    endbr64
    PUSHALL
    mov rcx, rsi
1:
    MULMONT384 rdi, rsi, rcx
    POPALL
    ret

    .p2align 5
fp2_redc:
    endbr64
    PUSHALL
    lea rcx, [rsi + 96]
    call redc2x
    POPALL
    ret

    .p2align 5
fp768_add:
    endbr64
    PUSHALL
    mov rcx, rsi
    mov r15, rdx
    call addmod768
    POPALL
    ret

    .p2align 5
fp768_sub:
    endbr64
    PUSHALL
    mov rcx, rsi
    mov r15, rdx
    call submod768
    POPALL
    ret

    .p2align 5
fp2_mul_wide:
    endbr64
    PUSHALL
    mov rcx, rdx
    call fp2mulwide
    POPALL
    ret

    .p2align 5
fp2_sqr_wide:
    endbr64
    PUSHALL
    call fp2sqrwide
    POPALL
    ret

    .p2align 5
fp2_mul_mont:
    endbr64
    PUSHALL
    mov rcx, rdx
    sub rsp, 200
    mov qword ptr [rsp + 192], rdi
    mov rdi, rsp
    call fp2mulwide
    jmp 2f
fp2_sqr_mont:
    endbr64
    PUSHALL
    sub rsp, 200
    mov qword ptr [rsp + 192], rdi
    mov rdi, rsp
    call fp2sqrwide
2:
    mov rdi, qword ptr [rsp + 192]
    mov rsi, rsp
    lea rcx, [rsp + 96]
    call redc2x
    add rsp, 200
    POPALL
    ret

# fp6_mul(r, a, b): the F_p6 product (Fp6.operator *), step for step as the managed code: six double-width F_p2
# products (three of unreduced sums), the u-parts combined exactly and the real parts modulo p*2^384, then six
# reductions. Frame offsets (bytes from rsp):
    .set T0, 0
    .set T1, 192
    .set T2, 384
    .set M12, 576
    .set M01, 768
    .set M02, 960
    .set SA, 1152
    .set SB, 1248
    .set D12RE, 1344
    .set D12U, 1440
    .set D01U, 1536
    .set D02U, 1632
    .set W1, 1728
    .set W2, 1824
    .set PA, 1920
    .set PB, 1928
    .set POUT, 1936
    .set FRAME6, 1944

# [rsp+out] = op([rsp+x], [rsp+y]) for a 768-bit subroutine op.
.macro WIDE op, out, x, y
    lea rdi, [rsp + \out]
    lea rcx, [rsp + \x]
    lea r15, [rsp + \y]
    call \op
.endm

# The F_p2 product at [rsp+out] of a_i and b_j, with the F_p2 coefficient offsets i, j (0, 96, 192) into a and b.
.macro FP6PRODUCT out, i, j
    lea rdi, [rsp + \out]
    mov rsi, qword ptr [rsp + PA]
    add rsi, \i
    mov rcx, qword ptr [rsp + PB]
    add rcx, \j
    call fp2mulwide
.endm

# The F_p2 product at [rsp+out] of (a_i + a_j)(b_i + b_j), the sums left unreduced (Fp2Wide.MultiplyUnreducedSums).
.macro FP6SUMPRODUCT out, i, j
    mov rsi, qword ptr [rsp + PA]
    ADDU384 rsp+SA, rsi+\i, rsi+\j
    ADDU384 rsp+SA+48, rsi+\i+48, rsi+\j+48
    mov rsi, qword ptr [rsp + PB]
    ADDU384 rsp+SB, rsi+\i, rsi+\j
    ADDU384 rsp+SB+48, rsi+\i+48, rsi+\j+48
    lea rdi, [rsp + \out]
    lea rsi, [rsp + SA]
    lea rcx, [rsp + SB]
    call fp2mulwide
.endm

# out coefficients k and k + 48 (byte offsets into r) = reductions of [rsp+W1] and [rsp+W2].
.macro REDUCETO k
    mov rdi, qword ptr [rsp + POUT]
    add rdi, \k
    lea rsi, [rsp + W1]
    lea rcx, [rsp + W2]
    call redc2x
.endm

    .p2align 5
fp6_mul:
    endbr64
    PUSHALL
    sub rsp, FRAME6
    mov qword ptr [rsp + POUT], rdi
    mov qword ptr [rsp + PA], rsi
    mov qword ptr [rsp + PB], rdx
    FP6PRODUCT T0, 0, 0
    FP6PRODUCT T1, 96, 96
    FP6PRODUCT T2, 192, 192
    FP6SUMPRODUCT M12, 96, 192
    FP6SUMPRODUCT M01, 0, 96
    FP6SUMPRODUCT M02, 0, 192
    # d12Re = m12.c0 - t1.c0 - t2.c0 (modular); the u-parts exactly.
    WIDE submod768, D12RE, M12, T1
    WIDE submod768, D12RE, D12RE, T2
    WIDE subexact768, D12U, M12+96, T1+96
    WIDE subexact768, D12U, D12U, T2+96
    WIDE subexact768, D01U, M01+96, T0+96
    WIDE subexact768, D01U, D01U, T1+96
    WIDE subexact768, D02U, M02+96, T0+96
    WIDE subexact768, D02U, D02U, T2+96
    # c0 = (d12Re - d12U + t0.c0, d12Re + (d12U + t0.c1))
    WIDE submod768, W1, D12RE, D12U
    WIDE addmod768, W1, W1, T0
    WIDE addexact768, W2, D12U, T0+96
    WIDE addmod768, W2, D12RE, W2
    REDUCETO 0
    # c1 = (m01.c0 - t0.c0 - t1.c0 + t2.c0 - t2.c1, (d01U + t2.c1) + t2.c0)
    WIDE submod768, W1, M01, T0
    WIDE submod768, W1, W1, T1
    WIDE addmod768, W1, W1, T2
    WIDE submod768, W1, W1, T2+96
    WIDE addexact768, W2, D01U, T2+96
    WIDE addmod768, W2, W2, T2
    REDUCETO 96
    # c2 = (m02.c0 - t0.c0 - t2.c0 + t1.c0, d02U + t1.c1)
    WIDE submod768, W1, M02, T0
    WIDE submod768, W1, W1, T2
    WIDE addmod768, W1, W1, T1
    WIDE addexact768, W2, D02U, T1+96
    REDUCETO 192
    add rsp, FRAME6
    POPALL
    ret

# The F_p op (ADDMOD384 or SUBMOD384) on the six F_p coefficients of F_p6 elements [rsi] and [r15] into [rdi].
.macro FP6LINEAR op
    PUSHALL
    mov r15, rdx
    \op rdi, rsi, r15
    \op rdi+48, rsi+48, r15+48
    \op rdi+96, rsi+96, r15+96
    \op rdi+144, rsi+144, r15+144
    \op rdi+192, rsi+192, r15+192
    \op rdi+240, rsi+240, r15+240
    POPALL
    ret
.endm

    .p2align 5
fp6_add:
    endbr64
    FP6LINEAR ADDMOD384

    .p2align 5
fp6_sub:
    endbr64
    FP6LINEAR SUBMOD384

# cyclo_sqr(r, g): the compressed cyclotomic square (CompressedCyclotomic.Square), step for step as the managed code,
# for g = (g1, g2, g3, g5), four F_p2 elements in a row. Frame offsets (bytes from rsp):
    .set CS1, 0
    .set CS2, 192
    .set CS3, 384
    .set CS5, 576
    .set CS23, 768
    .set CTMP, 960
    .set CW, 1056
    .set CT1, 1248
    .set CT2, 1344
    .set CT3, 1440
    .set CT5, 1536
    .set CA2, 1632
    .set CA0D, 1728
    .set CA1D, 1776
    .set CSUA, 1824
    .set CSUB, 1872
    .set CT0T, 1920
    .set CT1T, 2016
    .set CSW, 2112
    .set CD, 2208
    .set CPG, 2304
    .set CPOUT, 2312
    .set CFRAME, 2320

# An F_p op (ADDMOD384, SUBMOD384, ADDU384) on both coefficients of F_p2 elements.
.macro FP2OP op, out, x, y
    \op \out, \x, \y
    \op \out+48, \x+48, \y+48
.endm

# [rsp+out] = the double-width complex square of the F_p2 element at [base+x].
.macro CSQUARE out, base, x
    lea rdi, [rsp + \out]
    lea rsi, [\base + \x]
    call fp2sqrwide
.endm

# The F_p2 element [rsp+out] = both parts of the double-width [rsp+x] reduced.
.macro CREDUCE2 out, x
    lea rdi, [rsp + \out]
    lea rsi, [rsp + \x]
    lea rcx, [rsp + \x + 96]
    call redc2x
.endm

# [rsp+out] = [rsp+x] * [rsp+y] (768 bits).
.macro CMUL out, x, y
    lea rdi, [rsp + \out]
    lea rsi, [rsp + \x]
    lea rcx, [rsp + \y]
    call mul384
.endm

# Fp2 (AddMulByNonresidue(a, b)).Reduce() into [rsp+out]: (a0 + b0 + p^2 - b1, a1 + b0 + b1), then reduced.
.macro CADDMULXI out, a, b
    WIDE addexact768, CW, \a, \b
    WIDE addp2sub768, CW, CW, \b+96
    WIDE addexact768, CW+96, \a+96, \b
    WIDE addexact768, CW+96, CW+96, \b+96
    CREDUCE2 \out, CW
.endm

# The output F_p2 element at offset k of r: 3t - 2z as 2(t - z) + t (op SUBMOD384) or 3t + 2z as 2(t + z) + t
# (op ADDMOD384), with t at [rsp+t] and z at offset k of g.
.macro CTRIPLE op, k, t
    mov rsi, qword ptr [rsp + CPG]
    FP2OP \op, rsp+CD, rsp+\t, rsi+\k
    FP2OP ADDMOD384, rsp+CD, rsp+CD, rsp+CD
    mov rdi, qword ptr [rsp + CPOUT]
    FP2OP ADDMOD384, rdi+\k, rsp+CD, rsp+\t
.endm

    .p2align 5
cyclo_sqr:
    endbr64
    PUSHALL
    sub rsp, CFRAME
    mov qword ptr [rsp + CPOUT], rdi
    mov qword ptr [rsp + CPG], rsi
    mov r15, rsi
    CSQUARE CS1, r15, 0
    CSQUARE CS2, r15, 96
    CSQUARE CS3, r15, 192
    CSQUARE CS5, r15, 288
    FP2OP ADDMOD384, rsp+CTMP, r15+96, r15+192
    CSQUARE CS23, rsp, CTMP
    # t1 = (s3 + xi*s2) reduced, t2 = (s1 + xi*s5) reduced
    CADDMULXI CT1, CS3, CS2
    CADDMULXI CT2, CS1, CS5
    # t3 = xi*(2*g1)*g5 reduced: with a = 2*g1, (2*a0*b0 - s) + (s - 2*a1*b1)u, s = (a0 + a1)(b0 + b1) unreduced
    mov rsi, qword ptr [rsp + CPG]
    FP2OP ADDMOD384, rsp+CA2, rsi, rsi
    ADDMOD384 rsp+CA0D, rsp+CA2, rsp+CA2
    ADDMOD384 rsp+CA1D, rsp+CA2+48, rsp+CA2+48
    ADDU384 rsp+CSUA, rsp+CA2, rsp+CA2+48
    mov rsi, qword ptr [rsp + CPG]
    ADDU384 rsp+CSUB, rsi+288, rsi+336
    lea rdi, [rsp + CT0T]
    lea rsi, [rsp + CA0D]
    mov rcx, qword ptr [rsp + CPG]
    add rcx, 288
    call mul384
    lea rdi, [rsp + CT1T]
    lea rsi, [rsp + CA1D]
    mov rcx, qword ptr [rsp + CPG]
    add rcx, 336
    call mul384
    CMUL CSW, CSUA, CSUB
    WIDE submod768, CW, CT0T, CSW
    WIDE submod768, CW+96, CSW, CT1T
    CREDUCE2 CT3, CW
    # t5 = (s23 - s2 - s3 + 2p^2 in each part) reduced
    WIDE add2p2sub768, CW, CS23, CS2
    WIDE subexact768, CW, CW, CS3
    WIDE add2p2sub768, CW+96, CS23+96, CS2+96
    WIDE subexact768, CW+96, CW+96, CS3+96
    CREDUCE2 CT5, CW
    CTRIPLE SUBMOD384, 0, CT1
    CTRIPLE SUBMOD384, 96, CT2
    CTRIPLE ADDMOD384, 192, CT3
    CTRIPLE ADDMOD384, 288, CT5
    add rsp, CFRAME
    POPALL
    ret

    .p2align 3
fp384_p:
    .quad 0xb9feffffffffaaab, 0x1eabfffeb153ffff, 0x6730d2a0f6b0f624
    .quad 0x64774b84f38512bf, 0x4b1ba7b6434bacd7, 0x1a0111ea397fe69a
fp384_inv:
    .quad 0x89f3fffcfffcfffd
fp384_zero:
    .quad 0

fp384_p2:
    .quad 0x26aa00001c718e39, 0x7ced6b1d76382eab, 0x162c338362113cfd, 0x66bf91ed3e71b743
    .quad 0x292e85a87091a049, 0x1d68619c86185c7b, 0xf53149330978ef01, 0x50a62cfd16ddca6e
    .quad 0x66e59e49349e8bd0, 0xe2dc90e50e7046b4, 0x4bd278eaa22f25e9, 0x02a437a4b8c35fc7
fp384_2p2:
    .quad 0x4d54000038e31c72, 0xf9dad63aec705d56, 0x2c586706c42279fa, 0xcd7f23da7ce36e86
    .quad 0x525d0b50e1234092, 0x3ad0c3390c30b8f6, 0xea62926612f1de02, 0xa14c59fa2dbb94dd
    .quad 0xcdcb3c92693d17a0, 0xc5b921ca1ce08d68, 0x97a4f1d5445e4bd3, 0x05486f497186bf8e
