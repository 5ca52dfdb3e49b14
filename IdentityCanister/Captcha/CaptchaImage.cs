namespace InternetIdentity.IdentityCanister.Captchas;

/// <summary>
/// Captchas as II shows them: 5 characters drawn into a PNG with noise. Solution and image are a pure function of a
/// 32-byte seed taken from the call's randomness, so every replica renders the same bytes.
/// </summary>
internal static class CaptchaImage
{
    /// <summary>Characters of a solution (no 'j' or 'l', which read as 'i').</summary>
    public const string Alphabet = "abcdefghikmnopqrstuvwxyz";

    /// <summary>II's CAPTCHA_LENGTH.</summary>
    public const int Length = 5;

    /// <summary>Image width in pixels.</summary>
    public const int Width = 160;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 50;

    private const int Scale = 3;

    // 5x7 glyphs, one string per row, '#' = ink.
    private static readonly Dictionary<char, string[]> s_glyphs = new()
    {
        ['a'] = [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
        ['b'] = ["####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."],
        ['c'] = [".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."],
        ['d'] = ["####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."],
        ['e'] = ["#####", "#....", "#....", "####.", "#....", "#....", "#####"],
        ['f'] = ["#####", "#....", "#....", "####.", "#....", "#....", "#...."],
        ['g'] = [".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####"],
        ['h'] = ["#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
        ['i'] = [".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."],
        ['k'] = ["#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"],
        ['m'] = ["#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"],
        ['n'] = ["#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#", "#...#"],
        ['o'] = [".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."],
        ['p'] = ["####.", "#...#", "#...#", "####.", "#....", "#....", "#...."],
        ['q'] = [".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"],
        ['r'] = ["####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"],
        ['s'] = [".####", "#....", "#....", ".###.", "....#", "....#", "####."],
        ['t'] = ["#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."],
        ['u'] = ["#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."],
        ['v'] = ["#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."],
        ['w'] = ["#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."],
        ['x'] = ["#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"],
        ['y'] = ["#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."],
        ['z'] = ["#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"],
    };

    /// <summary>The solution encoded by a seed.</summary>
    public static string SolutionOf(ReadOnlySpan<byte> seed)
    {
        var rng = new DeterministicBytes(seed);
        Span<char> chars = stackalloc char[Length];
        for (int i = 0; i < Length; i++)
        {
            chars[i] = Alphabet[rng.Next(Alphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>The PNG image of a seed's captcha.</summary>
    public static byte[] RenderPng(ReadOnlySpan<byte> seed) => RenderPng(seed, SolutionOf(seed));

    /// <summary>The PNG image of a given solution, with the seed's noise.</summary>
    public static byte[] RenderPng(ReadOnlySpan<byte> seed, string solution)
    {
        var rng = new DeterministicBytes([.. seed, (byte)'i', (byte)'m', (byte)'g']);
        byte[] pixels = new byte[Width * Height];
        Array.Fill(pixels, (byte)255);

        // Background speckle.
        for (int i = 0; i < Width * Height / 12; i++)
        {
            pixels[rng.Next(Width * Height)] = (byte)(140 + rng.Next(80));
        }

        // Glyphs with a little jitter.
        for (int c = 0; c < solution.Length; c++)
        {
            string[] glyph = s_glyphs[solution[c]];
            int x0 = 8 + (c * 30) + rng.Next(6);
            int y0 = 6 + rng.Next(Height - (7 * Scale) - 10);
            for (int gy = 0; gy < 7; gy++)
            {
                for (int gx = 0; gx < 5; gx++)
                {
                    if (glyph[gy][gx] != '#')
                    {
                        continue;
                    }

                    for (int sy = 0; sy < Scale; sy++)
                    {
                        for (int sx = 0; sx < Scale; sx++)
                        {
                            int x = x0 + (gx * Scale) + sx, y = y0 + (gy * Scale) + sy;
                            pixels[(y * Width) + x] = (byte)rng.Next(60);
                        }
                    }
                }
            }
        }

        // Two strike-through lines.
        for (int l = 0; l < 2; l++)
        {
            int y = 10 + rng.Next(Height - 20), slope = rng.Next(5) - 2;
            for (int x = 0; x < Width; x++)
            {
                int yy = y + (slope * x / 40);
                if (yy >= 0 && yy < Height)
                {
                    pixels[(yy * Width) + x] = 90;
                }
            }
        }

        return PngEncoder.EncodeGrayscale(Width, Height, pixels);
    }

    /// <summary>
    /// A user's attempt in solution form: lower case, ambiguous characters read as the ones in the alphabet
    /// ('1', 'l', 'j' as 'i'; '0' as 'o'). Null when longer than a solution.
    /// </summary>
    public static string? Normalize(string attempt)
    {
        if (attempt.Length > Length)
        {
            return null;
        }

        Span<char> chars = stackalloc char[attempt.Length];
        for (int i = 0; i < attempt.Length; i++)
        {
            char c = char.ToLowerInvariant(attempt[i]);
            chars[i] = c switch
            {
                '1' or 'l' or 'j' => 'i',
                '0' => 'o',
                _ => c,
            };
        }

        return new string(chars);
    }

    /// <summary>The challenge key: 10 random characters 'a'..'y', as II makes it.</summary>
    public static string ChallengeKey(ReadOnlySpan<byte> randomness)
    {
        var rng = new DeterministicBytes([.. randomness, (byte)'k', (byte)'e', (byte)'y']);
        Span<char> chars = stackalloc char[10];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)('a' + rng.Next(25));
        }

        return new string(chars);
    }
}
