INSERT INTO pages (url, content_hash, source, final_url, status, fetched_at, content_type, charset, lang, bytes)
