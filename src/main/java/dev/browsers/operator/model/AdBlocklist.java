package dev.browsers.operator.model;

import java.util.List;
import java.util.Locale;

/**
 * The hosts a session with {@code blockAds} may not reach: a short list of the largest ad and tracker networks, each
 * with all its subdomains. Short on purpose: every entry is matched against every request, and a long community
 * list would block pages' own content more often than it saves anything on a disposable browser.
 */
public final class AdBlocklist {
    public static final List<String> HOSTS = List.of(
            "doubleclick.net",
            "googlesyndication.com",
            "googleadservices.com",
            "googletagservices.com",
            "google-analytics.com",
            "googletagmanager.com",
            "adservice.google.com",
            "amazon-adsystem.com",
            "adnxs.com",
            "adsrvr.org",
            "advertising.com",
            "criteo.com",
            "criteo.net",
            "taboola.com",
            "outbrain.com",
            "pubmatic.com",
            "rubiconproject.com",
            "openx.net",
            "casalemedia.com",
            "moatads.com",
            "scorecardresearch.com",
            "quantserve.com",
            "ads-twitter.com",
            "ads.linkedin.com",
            "hotjar.com");

    private AdBlocklist() {}

    /** Whether a host is on the list or below a listed one. */
    public static boolean blocks(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String listed : HOSTS) {
            if (h.equals(listed) || h.endsWith("." + listed)) {
                return true;
            }
        }
        return false;
    }

    /** CDP Fetch URL patterns that catch every URL of a listed host (and some others, checked again by host). */
    public static List<String> urlPatterns() {
        return HOSTS.stream()
                .flatMap(host -> List.of(
                        "*://" + host + "/*", "*://*." + host + "/*", "*://" + host + ":*", "*://*." + host + ":*")
                        .stream())
                .toList();
    }
}
