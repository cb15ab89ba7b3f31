import { describe, expect, it } from 'vitest';
import { platformForUrl } from '../../lib/platforms';
import { meet } from '../../lib/platforms/meet';
import { TEAMS_APP_CALL, teams } from '../../lib/platforms/teams';
import type { PlatformDefinition } from '../../lib/platforms/types';
import { zoom } from '../../lib/platforms/zoom';

const ref = (platform: PlatformDefinition, url: string) => platform.meetingFromUrl(new URL(url));

/** Every URL of a group names one meeting: all give the same, non-null reference. */
function expectSameMeeting(platform: PlatformDefinition, urls: string[]) {
  const refs = urls.map((u) => ref(platform, u));
  expect(refs[0], urls[0]).toEqual(expect.any(String));
  for (const [i, r] of refs.entries()) expect(r, urls[i]).toBe(refs[0]);
  return refs[0]!;
}

describe('Google Meet meetingFromUrl', () => {
  it('gives one reference per meeting code, whatever the query, hash, case or trailing slash', () => {
    const a = expectSameMeeting(meet, [
      'https://meet.google.com/abc-defg-hij',
      'https://meet.google.com/abc-defg-hij?authuser=1',
      'https://meet.google.com/abc-defg-hij?hs=122&pli=1#chat',
      'https://meet.google.com/abc-defg-hij/',
      'https://meet.google.com/ABC-DEFG-HIJ',
      'https://meet.google.com/_meet/abc-defg-hij?authuser=0',
    ]);
    const b = expectSameMeeting(meet, ['https://meet.google.com/xyz-wxyz-abc', 'https://meet.google.com/xyz-wxyz-abc?authuser=2']);
    expect(a).not.toBe(b);
  });

  it.each([
    'https://meet.google.com/',
    'https://meet.google.com/landing',
    'https://meet.google.com/landing?authuser=1',
    'https://meet.google.com/new',
    'https://meet.google.com/lookup/team-standup',
    'https://meet.google.com/abc-defg-hij/extra',
    'https://meet.google.com/abcd-efg-hij',
  ])('is null for the non-call page %s', (url) => {
    expect(ref(meet, url)).toBeNull();
  });

  it('is null on other hosts even with a meeting code path', () => {
    expect(ref(meet, 'https://meet.google.com.evil.com/abc-defg-hij')).toBeNull();
    expect(ref(meet, 'https://example.com/abc-defg-hij')).toBeNull();
  });
});

describe('Zoom meetingFromUrl', () => {
  it('gives one reference per meeting id across hosts, route variants, query and hash', () => {
    const a = expectSameMeeting(zoom, [
      'https://app.zoom.us/wc/1234567890/join',
      'https://app.zoom.us/wc/1234567890/join?pwd=abc123&fromPWA=1',
      'https://us02web.zoom.us/wc/join/1234567890#success',
      'https://acme.zoom.us/wc/1234567890/start',
      'https://app.zoom.us/wc/1234567890',
      'https://app.zoom.com/wc/1234567890/join?pwd=x',
    ]);
    const b = expectSameMeeting(zoom, ['https://app.zoom.us/wc/98765432101/join', 'https://app.zoom.us/wc/98765432101/join?pwd=zzz']);
    expect(a).not.toBe(b);
  });

  it.each([
    'https://zoom.us/',
    'https://app.zoom.us/wc/home',
    'https://app.zoom.us/wc',
    'https://us02web.zoom.us/j/1234567890?pwd=abc123',
    'https://app.zoom.us/wc/1234567890/leave',
    'https://app.zoom.us/wc/12345/join',
    'https://notzoom.us/wc/1234567890/join',
  ])('is null for the non-call page %s', (url) => {
    expect(ref(zoom, url)).toBeNull();
  });
});

describe('Microsoft Teams meetingFromUrl', () => {
  it('gives one reference for a meeting thread whatever the route, encoding and query', () => {
    const a = expectSameMeeting(teams, [
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjY1MzQ%40thread.v2/0?context=%7b%22Tid%22%3a%221%22%7d',
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjY1MzQ%40thread.v2/0?context=%7b%22Tid%22%3a%222%22%7d&anon=true',
      'https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/19:meeting_NjY1MzQ@thread.v2/0?context=%7b%7d',
      'https://teams.microsoft.com/_#/pre-join-calling/19:meeting_NjY1MzQ@thread.v2',
      'https://teams.microsoft.com/_#/modern-calling/19:meeting_NjY1MzQ@thread.v2',
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjY1MzQ%40THREAD.V2/0',
    ]);
    const b = ref(teams, 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_OTHER%40thread.v2/0');
    expect(b).toEqual(expect.any(String));
    expect(a).not.toBe(b);
  });

  it('keeps the case of the thread id (two ids differing only in case are two meetings)', () => {
    const lower = ref(teams, 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0');
    const upper = ref(teams, 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_ABC%40thread.v2/0');
    expect(lower).not.toBe(upper);
  });

  it('tells channel meetings apart by message id and treats /0 as no message', () => {
    const m1 = ref(teams, 'https://teams.microsoft.com/l/meetup-join/19%3aChan%40thread.tacv2/1712345678901');
    const m2 = ref(teams, 'https://teams.microsoft.com/l/meetup-join/19%3aChan%40thread.tacv2/1712345678999');
    expect(m1).toEqual(expect.any(String));
    expect(m1).not.toBe(m2);
    expectSameMeeting(teams, [
      'https://teams.microsoft.com/l/meetup-join/19%3aChan%40thread.tacv2/0',
      'https://teams.microsoft.com/_#/pre-join-calling/19:Chan@thread.tacv2',
    ]);
  });

  it('gives one reference per short meeting link id, whatever the passcode', () => {
    const work = expectSameMeeting(teams, [
      'https://teams.microsoft.com/meet/2345678901234?p=abcDEF',
      'https://teams.microsoft.com/meet/2345678901234?p=other',
    ]);
    const personal = expectSameMeeting(teams, ['https://teams.live.com/meet/9876543210987?p=x', 'https://teams.live.com/meet/9876543210987']);
    expect(work).not.toBe(personal);
  });

  it.each([
    'https://teams.microsoft.com/v2/',
    'https://teams.microsoft.com/v2',
    'https://teams.microsoft.com/v2/?culture=en-us',
    'https://teams.cloud.microsoft/',
    'https://teams.microsoft.com/light-meetings/launch?anon=true',
    'https://teams.microsoft.com/_#/modern-calling',
    'https://teams.microsoft.com/_#/pre-join-calling',
    'https://teams.microsoft.com/_#/calling',
  ])('gives the generic app-call reference for the app shell %s', (url) => {
    expect(ref(teams, url)).toBe(TEAMS_APP_CALL);
  });

  it.each([
    'https://teams.microsoft.com/_#/calendarv2',
    'https://teams.microsoft.com/_#/conversations/19:abc@thread.v2?ctx=chat',
    'https://teams.microsoft.com/l/chat/19:abc_def@thread.v2/conversations?context=%7b%7d',
    'https://teams.microsoft.com/dl/launcher/launcher.html?url=%2F_%23%2Fl%2Fmeetup-join%2F19%3Ameeting_X%40thread.v2%2F0&type=meetup-join',
    'https://teams.microsoft.com/settings',
    'https://teams.microsoft.com.evil.io/l/meetup-join/19%3ameeting_X%40thread.v2/0',
  ])('is null for the non-call route %s', (url) => {
    expect(ref(teams, url)).toBeNull();
  });
});

describe('platformForUrl', () => {
  it.each([
    ['https://meet.google.com/abc-defg-hij', 'meet'],
    ['https://zoom.us/', 'zoom'],
    ['https://app.zoom.us/wc/1234567890/join', 'zoom'],
    ['https://us02web.zoom.us/wc/1234567890/join', 'zoom'],
    ['https://acme.zoom.us/wc/join/1234567890', 'zoom'],
    ['https://app.zoom.com/wc/1234567890/join', 'zoom'],
    ['https://teams.microsoft.com/v2/', 'teams'],
    ['https://teams.live.com/meet/9876543210987', 'teams'],
    ['https://teams.cloud.microsoft/', 'teams'],
  ])('recognises %s as %s', (url, id) => {
    expect(platformForUrl(new URL(url))?.id).toBe(id);
  });

  it.each([
    'http://meet.google.com/abc-defg-hij',
    'http://app.zoom.us/wc/1234567890/join',
    'http://teams.microsoft.com/v2/',
  ])('rejects plain http: %s', (url) => {
    expect(platformForUrl(new URL(url))).toBeNull();
  });

  it.each([
    'https://meet.google.com.evil.com/abc-defg-hij',
    'https://evilmeet.google.com/abc-defg-hij',
    'https://notzoom.us/wc/1234567890/join',
    'https://zoom.us.evil.com/wc/1234567890/join',
    'https://evil-zoom.us/wc/1234567890/join',
    'https://teams.microsoft.com.evil.io/v2/',
    'https://evilteams.microsoft.com/v2/',
    'https://example.com/?u=https://meet.google.com/abc-defg-hij',
  ])('rejects the lookalike host %s', (url) => {
    expect(platformForUrl(new URL(url))).toBeNull();
  });
});
