namespace InternetIdentity.CanisterRuntime.Execution;

/// <summary>
/// Stable memory as sparse 64 KiB pages, copy-on-write between a capture and the live copy so that rolling a message
/// back or taking a snapshot costs the pages written, not the whole memory.
/// </summary>
internal sealed class StableMemory
{
    public const int PageSize = 65536;

    private Dictionary<ulong, byte[]> _pages = [];
    private HashSet<ulong> _owned = [];

    /// <summary>The size in pages.</summary>
    public ulong Pages { get; private set; }

    public ulong SizeBytes => Pages * PageSize;

    /// <summary>Grows by <paramref name="newPages"/>; returns the old size, or -1 (all ones) past the limit.</summary>
    public ulong Grow(ulong newPages, ulong maxBytes)
    {
        ulong old = Pages;
        if (newPages > maxBytes / PageSize || old + newPages > maxBytes / PageSize)
        {
            return ulong.MaxValue;
        }

        Pages = old + newPages;
        return old;
    }

    public bool InBounds(ulong offset, ulong size) => size <= SizeBytes && offset <= SizeBytes - size;

    public void Read(ulong offset, Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            ulong at = offset + (ulong)done;
            ulong page = at / PageSize;
            int inPage = (int)(at % PageSize);
            int n = Math.Min(PageSize - inPage, destination.Length - done);
            if (_pages.TryGetValue(page, out byte[]? bytes))
            {
                bytes.AsSpan(inPage, n).CopyTo(destination.Slice(done, n));
            }
            else
            {
                destination.Slice(done, n).Clear();
            }

            done += n;
        }
    }

    public void Write(ulong offset, ReadOnlySpan<byte> source)
    {
        int done = 0;
        while (done < source.Length)
        {
            ulong at = offset + (ulong)done;
            ulong page = at / PageSize;
            int inPage = (int)(at % PageSize);
            int n = Math.Min(PageSize - inPage, source.Length - done);
            source.Slice(done, n).CopyTo(WritablePage(page).AsSpan(inPage, n));
            done += n;
        }
    }

    /// <summary>An immutable copy of the current contents (pages are shared until the live copy writes them).</summary>
    public StableMemory Capture()
    {
        _owned = [];
        return new StableMemory { _pages = new Dictionary<ulong, byte[]>(_pages), Pages = Pages };
    }

    /// <summary>Returns to a captured copy.</summary>
    public void RestoreFrom(StableMemory image)
    {
        _pages = new Dictionary<ulong, byte[]>(image._pages);
        _owned = [];
        Pages = image.Pages;
    }

    /// <summary>Clears the contents and sets the size to the pages that hold <paramref name="sizeBytes"/>.</summary>
    public void Clear(ulong sizeBytes)
    {
        _pages = [];
        _owned = [];
        Pages = (sizeBytes / PageSize) + (sizeBytes % PageSize == 0 ? 0UL : 1UL);
    }

    /// <summary>The non-zero pages in ascending order (for snapshots).</summary>
    public IEnumerable<(ulong Index, byte[] Bytes)> NonZeroPages() =>
        _pages.Where(p => p.Value.AsSpan().ContainsAnyExcept((byte)0)).OrderBy(p => p.Key).Select(p => (p.Key, p.Value));

    public void Load(ulong pages, IEnumerable<(ulong Index, byte[] Bytes)> contents)
    {
        _pages = contents.ToDictionary(c => c.Index, c => c.Bytes);
        _owned = [.. _pages.Keys];
        Pages = pages;
    }

    private byte[] WritablePage(ulong page)
    {
        if (_owned.Contains(page))
        {
            return _pages[page];
        }

        byte[] copy = new byte[PageSize];
        if (_pages.TryGetValue(page, out byte[]? shared))
        {
            shared.CopyTo(copy, 0);
        }

        _pages[page] = copy;
        _owned.Add(page);
        return copy;
    }
}
