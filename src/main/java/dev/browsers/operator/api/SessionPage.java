package dev.browsers.operator.api;

import java.util.List;

/**
 * One page of GET /v1/sessions, Steel's {@code Sessionslist}.
 *
 * @param nextCursor the id to pass as cursorId for the next page; null on the last page
 * @param totalCount how many sessions match the status filter, on all pages
 */
public record SessionPage(List<SteelSession> sessions, String nextCursor, int totalCount) {}
