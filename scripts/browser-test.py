#!/usr/bin/env python3
"""End-to-end test of the web app in headless Chromium against a real `pilar serve --demo`.

Usage: scripts/browser-test.py PATH/TO/pilar [SCREENSHOT_DIR]

The report cycle (a TKSK files a report from an empty form, the Dinas returns it with a note on
one field, the TKSK sees the note beside that field, fixes it and resubmits, the Dinas verifies,
the dashboard shows the new numbers), sign-in by link, sign-out, a 401, a lost connection and a
reload while editing, English, the layout at 360 px and 1280 px, no request to another host and
no console error. Screenshots of each main screen go to SCREENSHOT_DIR (default docs/screenshots).
Needs chromium, chromium-driver (apt) and selenium (pip).
"""
import json, os, re, subprocess, sys, tempfile, time, urllib.request
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

PILAR = os.path.abspath(sys.argv[1])
SHOTS = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else 'docs/screenshots')
WAIT = 30  # a bound for hangs, not a timing assertion
os.makedirs(SHOTS, exist_ok=True)
tmp = tempfile.mkdtemp(prefix='pilar-browser-')
db = os.path.join(tmp, 'pilar.db')
steps = []


def step(name):
    steps.append(name)
    print('==', name, flush=True)


# ---- a real server on loopback, tokens made with the CLI ----
server = subprocess.Popen([PILAR, 'serve', '--demo', '--db', db, '--port', '0', '--quiet'],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
port = None
deadline = time.time() + 60
while port is None and time.time() < deadline:
    line = server.stderr.readline()
    m = re.search(r'listening on http://127\.0\.0\.1:(\d+)', line)
    if m:
        port = int(m.group(1))
assert port, 'the server did not start'
BASE = 'http://127.0.0.1:%d' % port
admin = next(l.split(': ')[1].strip() for l in server.stdout if l.startswith(('Admin token', 'Token admin')))


def cli(*args):
    return subprocess.run([PILAR, 'token', 'create', '--db', db] + list(args), check=True,
                          capture_output=True, text=True).stdout.strip()


def api(method, path, token, body=None, headers=None):
    req = urllib.request.Request(BASE + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers=dict({'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'}, **(headers or {})))
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read() or b'null'), r.headers.get('ETag')
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b'null'), None


def wib_month(offset=0):
    t = time.gmtime(time.time() + 7 * 3600)
    y, m = t.tm_year, t.tm_mon + offset
    while m < 1:
        y, m = y - 1, m + 12
    return '%04d-%02d' % (y, m)


# A kecamatan of the demo with no report for last month (else this month): the empty form.
def free_slot(skip=()):
    kecs = [r['code'] for r in api('GET', '/v1/regions?parent=32.74', admin)[1]['items']]
    for period in (wib_month(-1), wib_month(0)):
        taken = {r['kecamatan'] for r in api('GET', '/v1/reports?region=32.74&limit=100&period=' + period, admin)[1]['items']}
        for k in kecs:
            if k not in taken and (k, period) not in skip:
                return k, period
    raise SystemExit('no kecamatan without a report in the demo data')


KEC, PERIOD = free_slot()
KEC2, PERIOD2 = free_slot(skip={(KEC, PERIOD)})
link = cli('--role', 'tksk', '--region', KEC, '--name', 'TKSK uji', '--link', BASE + '/')
assert link.startswith(BASE + '/#token=pilar_'), link
TKSK = link.split('#token=')[1]
DINAS = cli('--role', 'kabkota', '--region', '32.74', '--name', 'Dinsos Kota Cirebon')
VIEWER = cli('--role', 'viewer', '--region', '32', '--name', 'Dasbor Dinas Sosial Provinsi')
TKSK2 = cli('--role', 'tksk', '--region', KEC2, '--name', 'TKSK dua')

opts = webdriver.ChromeOptions()
for a in ['--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--window-size=1280,900', '--lang=id']:
    opts.add_argument(a)
if os.path.exists('/usr/bin/chromium'):
    opts.binary_location = '/usr/bin/chromium'
opts.set_capability('goog:loggingPrefs', {'browser': 'ALL', 'performance': 'ALL'})
service = webdriver.ChromeService('/usr/bin/chromedriver') if os.path.exists('/usr/bin/chromedriver') else None
d = webdriver.Chrome(service=service, options=opts)
requests_seen = []
exchanges = {}  # request id -> [method, url, status]
# Console lines we cause on purpose: the browser logs every 4xx of fetch and every failed
# request while we cut the connection. Anything else at SEVERE fails the test.
expected_console = re.compile(r'Failed to load resource: (the server responded with a status of (401|409|412|422)|net::ERR_INTERNET_DISCONNECTED)')


def drain_logs():
    bad = [l for l in d.get_log('browser') if l['level'] == 'SEVERE' and not expected_console.search(l['message'])]
    assert not bad, 'console errors: %s' % bad
    for entry in d.get_log('performance'):
        msg = json.loads(entry['message'])['message']
        if msg['method'] == 'Network.requestWillBeSent':
            r = msg['params']['request']
            requests_seen.append(r['url'])
            exchanges[msg['params']['requestId']] = [r['method'], r['url'], None]
        elif msg['method'] == 'Network.responseReceived' and msg['params']['requestId'] in exchanges:
            exchanges[msg['params']['requestId']][2] = msg['params']['response']['status']


def saves(kec, period):
    """PUTs of this report the server answered with 200 or 201, as the browser saw them."""
    drain_logs()
    path = '/v1/reports/%s/%s' % (kec, period)
    return sum(1 for m, u, st in exchanges.values() if m == 'PUT' and u == BASE + path and st in (200, 201))


def wait(cond, what):
    try:
        # The page re-renders lists as answers arrive: an element read mid-render is stale, which
        # means "not yet", so the wait polls again rather than failing.
        return WebDriverWait(d, WAIT, ignored_exceptions=(StaleElementReferenceException,)).until(lambda _: cond())
    except TimeoutException:
        shot('failure')
        said = ' | '.join(e.text for e in d.find_elements(By.CSS_SELECTOR, '#status, #save-state, [role=alert]'))
        raise AssertionError('timed out waiting for %s; the page says: %s' % (what, said))


def el(css):
    return wait(lambda: (d.find_elements(By.CSS_SELECTOR, css) or [None])[0], css)


def text_in(css, words):
    return wait(lambda: any(words in e.text for e in d.find_elements(By.CSS_SELECTOR, css)), '%r in %s' % (words, css))


def shot(name, at=None):
    d.execute_script('arguments[0] ? document.querySelector(arguments[0]).scrollIntoView({block: "center"}) : window.scrollTo(0, 0)', at)
    d.save_screenshot(os.path.join(SHOTS, name + '.png'))


def go(hash_):
    d.execute_script('location.hash = arguments[0]', hash_)


def phone(on):
    # Chromium will not make a window narrower than 500 px; emulate the phone's screen instead.
    if on:
        d.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', {'width': 360, 'height': 760, 'deviceScaleFactor': 1, 'mobile': True})
    else:
        d.execute_cdp_cmd('Emulation.clearDeviceMetricsOverride', {})


def no_sideways_scroll():
    over = d.execute_script('return document.documentElement.scrollWidth - document.documentElement.clientWidth')
    assert over <= 0, 'the page scrolls sideways by %d px' % over


def type_into(css, value):
    e = el(css)
    e.clear()
    e.send_keys(str(value))


def sign_in_pasted(token):
    if d.execute_script("return sessionStorage.getItem('pilar.token')"):
        el('#signout').click()
    else:
        go('#/masuk')
    type_into('#token', token)
    el('form.signin button[type=submit]').click()
    # Signed in once the home screen of the role is drawn (the app moves there itself).
    wait(lambda: d.execute_script("return sessionStorage.getItem('pilar.token') === arguments[0] && !document.getElementById('signout').hidden && !!document.querySelector('main h1') && !document.getElementById('token')", token), 'the sign-in')


def submitted_or_warned(token, kec, period):
    buttons = d.find_elements(By.CSS_SELECTOR, '#submit')
    return report(token, kec, period)['status'] == 'submitted' or (buttons and 'Kirim tetap' in buttons[0].text)


def report(token, kec, period):
    return api('GET', '/v1/reports/%s/%s' % (kec, period), token)[1]


def line(rep, cat):
    return next(l for l in rep['pmks'] if l['category'] == cat and not l.get('desa'))


try:
    step('sign-in by link: the token leaves the address bar at once')
    d.get(link)
    el('#task-current')
    assert 'token' not in d.current_url, d.current_url
    assert d.execute_script("return sessionStorage.getItem('pilar.token')") == TKSK
    shot('tksk-tasks')

    step('TKSK files the report from an empty form')
    go('#/laporan/%s/%s' % (KEC, PERIOD))
    type_into('#f-pmks_LUT__male', 5)
    type_into('#f-pmks_LUT__female', 7)
    text_in('[data-sum="LUT"]', '12')
    type_into('#f-pmks_FM__count', 10)
    desa = Select(el('#area')).options[1].get_attribute('value')
    Select(el('#area')).select_by_value(desa)
    key = 'pmks_PGM_' + desa.replace('.', '_') + '__'
    type_into('#f-' + key + 'male', 2)
    type_into('#f-' + key + 'female', 1)
    text_in('[data-total="PGM"]', '3')
    Select(el('#area')).select_by_value('')
    type_into('#f-psks_PSM__count', 4)
    el('#add-activity').click()
    Select(el('#f-activities_0__kind')).select_by_value('pendampingan')
    d.execute_script("const x = document.getElementById('f-activities_0__date'); x.value = arguments[0]; x.dispatchEvent(new Event('input', {bubbles: true}))", PERIOD + '-01')
    type_into('#f-activities_0__description', 'Pendampingan lansia')
    type_into('#f-notes_kendala', 'Data kelurahan terlambat')
    text_in('#pmks-totals', '15')
    text_in('#save-state', 'tersimpan di server')
    shot('tksk-form', '[data-cat=LUT]')
    el('#submit').click()
    wait(lambda: submitted_or_warned(TKSK, KEC, PERIOD), 'submit or warnings')
    if report(TKSK, KEC, PERIOD)['status'] != 'submitted':
        el('.warnbox')  # the quality warnings are shown before sending anyway
        el('#submit').click()
    text_in('#status', 'Laporan terkirim')
    rep = report(TKSK, KEC, PERIOD)
    assert rep['status'] == 'submitted' and line(rep, 'LUT') == {'category': 'LUT', 'male': 5, 'female': 7}, rep
    assert rep['activities'][0]['description'] == 'Pendampingan lansia' and rep['notes']['kendala'] == 'Data kelurahan terlambat'
    drain_logs()

    step('sign-out forgets the token')
    el('#signout').click()
    el('#token')
    text_in('#signin-error', 'keluar')
    assert d.execute_script("return sessionStorage.getItem('pilar.token')") is None
    shot('sign-in')

    step('Dinas: completeness, then returns the report with a note on one field')
    sign_in_pasted(DINAS)
    el('#completeness-table')
    go('#/dinas/' + PERIOD)
    text_in('#completeness-table', 'dikirim')
    shot('dinas-completeness')
    go('#/laporan/%s/%s' % (KEC, PERIOD))
    el('#review-actions')
    shot('dinas-review')
    type_into('#return-reason', 'Angka LUT tidak cocok dengan rekap kelurahan')
    el('#add-note').click()
    Select(el('#note-field-0')).select_by_value('pmks[LUT].male')
    type_into('#note-text-0', 'cek rekap kelurahan')
    el('#return').click()
    wait(lambda: report(DINAS, KEC, PERIOD)['status'] == 'returned', 'the return')
    drain_logs()

    step('TKSK sees the note beside the field, fixes it and resubmits')
    sign_in_pasted(TKSK)
    el('#task-returned a')
    go('#/laporan/%s/%s' % (KEC, PERIOD))
    note = el('#n-note-f-pmks_LUT__male')
    assert 'cek rekap kelurahan' in note.text
    assert 'n-note-f-pmks_LUT__male' in el('#f-pmks_LUT__male').get_attribute('aria-describedby')
    row = d.execute_script("return document.getElementById('n-note-f-pmks_LUT__male').closest('tr').dataset.cat")
    assert row == 'LUT', row
    text_in('#return-box', 'Angka LUT tidak cocok')
    shot('tksk-returned')
    type_into('#f-pmks_LUT__male', 6)
    text_in('#save-state', 'tersimpan di server')
    el('#submit').click()
    wait(lambda: submitted_or_warned(TKSK, KEC, PERIOD), 'resubmit')
    if report(TKSK, KEC, PERIOD)['status'] != 'submitted':
        el('#submit').click()
    wait(lambda: report(TKSK, KEC, PERIOD)['status'] == 'submitted', 'the resubmission')
    drain_logs()

    step('Dinas verifies; the history shows the change')
    sign_in_pasted(DINAS)
    el('#completeness-table')
    go('#/laporan/%s/%s' % (KEC, PERIOD))
    text_in('#history', '5')
    assert 'diubah' in el('#history').text
    el('#verify').click()
    wait(lambda: report(DINAS, KEC, PERIOD)['status'] == 'verified', 'the verification')
    drain_logs()

    step('Dinas: PSKS register search and a record (NIK in full for the district office)')
    go('#/psks')
    type_into('#psks-q', 'siti')
    el('form[role=search] button[type=submit]').click()
    found = lambda: d.find_elements(By.CSS_SELECTOR, '#psks-results tbody a')
    wait(lambda: found() and all('siti' in a.text.lower() for a in found()), 'only names with "siti"')
    d.find_elements(By.CSS_SELECTOR, '#psks-results tbody a')[0].click()
    record = el('dl.record')
    assert re.search(r'\b\d{16}\b', record.text), 'a kabkota token sees the NIK in full'
    shot('dinas-psks-record')
    drain_logs()

    step('Dinas: an import dry run shows its row errors as a table, nothing saved')
    header = 'type,name,nik,sex,birth_date,education,region,phone,training_completed_on,status,registered_on,ended_on,end_reason,notes'
    csv_path = os.path.join(tmp, 'psm.csv')
    with open(csv_path, 'w') as f:
        f.write(header + '\n' + 'PSM,Ani Lestari,3274015505900009,female,1990-05-15,SLTA,%s,081299990001,2020-01-10,active,2024-07-01,,,\n' % (KEC + '.1001'))
        f.write('PSM,Salah Nik,12345,female,1990-05-15,SLTA,%s,081299990002,2020-01-10,active,2024-07-01,,,\n' % (KEC + '.1001'))
    total_before = api('GET', '/v1/stats/psks?region=32.74&type=PSM', DINAS)[1]['items']
    go('#/impor')
    Select(el('#import-kind')).select_by_value('PSM')
    el('#import-file').send_keys(csv_path)
    el('#import-kind').find_element(By.XPATH, '../../button[@type="submit"]').click()
    text_in('#import-errors', 'nik')
    rows = d.find_elements(By.CSS_SELECTOR, '#import-errors tbody tr')
    assert rows and rows[0].find_elements(By.TAG_NAME, 'td')[0].text == '3', [r.text for r in rows]
    assert api('GET', '/v1/stats/psks?region=32.74&type=PSM', DINAS)[1]['items'] == total_before, 'a dry run saves nothing'
    el('#import-rejected')  # the rejected rows as a file to fix
    shot('dinas-import')
    drain_logs()

    step('Dinas: a big import runs as a job, its progress from the status URL')
    big_path = os.path.join(tmp, 'psm-big.csv')
    with open(big_path, 'w') as f:
        f.write(header + '\n')
        for i in range(2500):  # past the 2,000 lines from which Prefer: respond-async is honoured
            f.write('PSM,Uji %d,12345,female,1990-05-15,SLTA,%s,081299990002,2020-01-10,active,2024-07-01,,,\n' % (i, KEC + '.1001'))
    go('#/impor')
    Select(el('#import-kind')).select_by_value('PSM')
    el('#import-file').send_keys(big_path)
    el('#import-kind').find_element(By.XPATH, '../../button[@type="submit"]').click()
    wait(lambda: d.find_elements(By.CSS_SELECTOR, '#import-result section[data-job="yes"]'), 'the job\'s answer, reached through its status URL')
    assert el('#import-progress').get_attribute('value') == '1', 'the bar ends full'
    assert el('#import-result').text.count('2.500') or el('#import-result').text.count('2,500'), el('#import-result').text
    el('#import-rejected')
    drain_logs()

    step('Dinas: a token for a TKSK with a sign-in link that works')
    go('#/token')
    Select(el('#tok-role')).select_by_value('tksk')
    Select(el('#tok-region')).select_by_value(KEC)
    type_into('#tok-name', 'TKSK pengganti')
    el('#tok-name').submit()
    made = wait(lambda: (d.find_elements(By.CSS_SELECTOR, '#signin-link') or [None])[0], 'the sign-in link')
    handed = made.get_attribute('value')
    assert handed.startswith(BASE + '/#token=pilar_'), handed
    shot('dinas-token')
    el('#signout').click()
    el('#token')
    d.get(handed)
    el('#task-current')
    assert 'token' not in d.current_url
    drain_logs()

    step('dashboard shows the new numbers')
    sign_in_pasted(VIEWER)
    el('#p-region')
    go('#/dasbor/-/' + PERIOD)  # the province, then down to the kota
    d.find_element(By.LINK_TEXT, 'Kota Cirebon').click() if wait(lambda: d.find_elements(By.LINK_TEXT, 'Kota Cirebon'), 'the kota row') else None
    wait(lambda: '32.74' in d.current_url, 'the drill down')
    el('#drill-up')
    kec_name = api('GET', '/v1/regions/' + KEC, admin)[1]['name']
    persons = sum((l.get('male') or 0) + (l.get('female') or 0) for l in report(admin, KEC, PERIOD)['pmks'] if not l.get('desa') or l['category'] == 'PGM')
    text_in('#region-table', kec_name)
    row = wait(lambda: next((r.text for r in d.find_elements(By.CSS_SELECTOR, '#region-table tr') if kec_name in r.text and 'jiwa' in r.text), None), 'the kecamatan row')
    assert row.endswith(str(persons)), (row, persons)
    assert len(d.find_elements(By.CSS_SELECTOR, '#month-table tbody tr')) == 12
    assert d.find_elements(By.CSS_SELECTOR, '#p-month svg rect.bar')
    shot('dashboard')
    d.execute_cdp_cmd('Browser.setDownloadBehavior', {'behavior': 'allow', 'downloadPath': tmp})
    d.find_element(By.CSS_SELECTOR, '#p-category button.link').click()
    csv_file = os.path.join(tmp, 'category-32.74-%s.csv' % PERIOD)
    wait(lambda: os.path.exists(csv_file) and open(csv_file, encoding='utf-8-sig').read().startswith('category,'), 'the CSV download')
    assert 'Lanjut Usia Terlantar' in open(csv_file, encoding='utf-8-sig').read()
    phone(True)
    no_sideways_scroll()
    shot('dashboard-360')
    phone(False)
    drain_logs()

    step('dashboard panels poll with If-None-Match and redraw only on a change')
    d.execute_script("sessionStorage.setItem('pilar.poll_ms', '500')")
    d.refresh()
    text_in('#region-table', kec_name)
    drawn = lambda: d.execute_script("return document.getElementById('p-region').dataset.drawn")
    assert drawn() == '1'
    time.sleep(2)  # several polls answered 304: nothing redrawn
    assert drawn() == '1', 'redrawn without a change'
    # The Dinas corrects the verified report (a new version with a reason): the numbers change.
    cur = report(DINAS, KEC, PERIOD)
    etag = api('GET', '/v1/reports/%s/%s' % (KEC, PERIOD), DINAS)[2]
    pmks = [dict(l, male=l['male'] + 1) if l['category'] == 'LUT' and not l.get('desa') else l for l in cur['pmks']]
    st, body, _ = api('PUT', '/v1/reports/%s/%s' % (KEC, PERIOD), DINAS, body={'pmks': pmks, 'psks': cur['psks'], 'activities': cur['activities'], 'notes': cur['notes'], 'reason': 'koreksi rekap'}, headers={'If-Match': etag})
    assert st == 200, body
    wait(lambda: drawn() == '2', 'the redraw after a change')
    assert any(r.text.endswith(str(persons + 1)) for r in d.find_elements(By.CSS_SELECTOR, '#region-table tr') if kec_name in r.text and 'jiwa' in r.text)
    d.execute_script("sessionStorage.removeItem('pilar.poll_ms')")
    drain_logs()

    step('English switch')
    el('#lang').click()
    text_in('#nav', 'Dashboard')
    text_in('#p-category h2', 'PMKS by category')
    assert d.execute_script('return document.documentElement.lang') == 'en'
    el('#lang').click()
    text_in('#nav', 'Dasbor')

    step('lost connection while editing: kept, sent once when back; a reload keeps unsent changes')
    sign_in_pasted(TKSK2)
    go('#/laporan/%s/%s' % (KEC2, PERIOD2))
    type_into('#f-pmks_LUT__male', 3)
    text_in('#save-state', 'tersimpan di server')
    step('someone else saves the same report: a clear word, nothing overwritten')
    theirs = report(admin, KEC2, PERIOD2)
    theirs_etag = api('GET', '/v1/reports/%s/%s' % (KEC2, PERIOD2), admin)[2]
    st, _, _ = api('PUT', '/v1/reports/%s/%s' % (KEC2, PERIOD2), admin, body={'pmks': theirs['pmks'] + [{'category': 'FM', 'count': 4}]}, headers={'If-Match': theirs_etag})
    assert st == 200
    type_into('#f-pmks_LUT__male', 2)
    text_in('.conflict', 'diubah orang lain')
    assert any(l['category'] == 'FM' for l in report(admin, KEC2, PERIOD2)['pmks']), 'their change stays'
    shot('tksk-conflict')
    el('#conflict-mine').click()
    text_in('#save-state', 'tersimpan di server')
    assert line(report(TKSK2, KEC2, PERIOD2), 'LUT')['male'] == 2
    before = saves(KEC2, PERIOD2)
    d.set_network_conditions(offline=True, latency=0, download_throughput=-1, upload_throughput=-1)
    type_into('#f-pmks_LUT__female', 9)
    text_in('#save-state', 'Tidak tersambung')
    assert d.execute_script("return localStorage.getItem('pilar.outbox.%s.%s')" % (KEC2, PERIOD2))
    shot('tksk-offline')
    d.delete_network_conditions()
    d.execute_script("window.dispatchEvent(new Event('online'))")
    text_in('#save-state', 'tersimpan di server')
    rep = report(TKSK2, KEC2, PERIOD2)
    assert line(rep, 'LUT') == {'category': 'LUT', 'male': 2, 'female': 9}, rep
    assert saves(KEC2, PERIOD2) == before + 1, 'the change made offline was sent once'
    type_into('#f-pmks_LUT__female', 11)  # and reload at once, before the save leaves
    d.refresh()
    text_in('#save-state', 'tersimpan di server')
    assert el('#f-pmks_LUT__female').get_attribute('value') == '11'
    assert line(report(TKSK2, KEC2, PERIOD2), 'LUT')['female'] == 11
    assert saves(KEC2, PERIOD2) == before + 2, 'the change restored after the reload was sent once'
    assert not d.execute_script("return localStorage.getItem('pilar.outbox.%s.%s')" % (KEC2, PERIOD2))
    drain_logs()

    step('layout at 360 px: tasks and the form fit the phone')
    phone(True)
    go('#/tugas')
    el('#task-current')
    no_sideways_scroll()
    shot('tksk-tasks-360')
    go('#/laporan/%s/%s' % (KEC2, PERIOD2))
    el('#f-pmks_LUT__male')
    no_sideways_scroll()
    shot('tksk-form-360', '[data-cat=LUT]')
    phone(False)

    step('a revoked token returns to sign-in with a clear word')
    tid = next(t['id'] for t in api('GET', '/v1/tokens', admin)[1]['items'] if t['name'] == 'TKSK dua')
    assert api('DELETE', '/v1/tokens/%d' % tid, admin)[0] == 200
    go('#/tugas')
    text_in('#signin-error', 'token tidak berlaku')
    assert d.execute_script("return sessionStorage.getItem('pilar.token')") is None
    drain_logs()

    step('no request left the host')
    outside = [u for u in requests_seen if not (u.startswith(BASE + '/') or u.startswith('blob:') or u.startswith('data:'))]
    assert requests_seen and not outside, outside
    print('browser test passed: %d steps, %d requests, screenshots in %s' % (len(steps), len(requests_seen), SHOTS))
finally:
    d.quit()
    server.terminate()
    server.wait(10)
