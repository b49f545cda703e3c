/// The page's inline style sheet and script. Nothing is fetched: fonts are the system's (the
/// stack names the usual CJK faces of macOS, Windows and Linux), and the script only sorts tables
/// and filters the listing; the page reads the same without it.
enum ReportStyle {
  static let css = """
    :root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--accent:#0969da}
    *{box-sizing:border-box}
    body{margin:0;color:var(--fg);background:var(--bg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif}
    main{max-width:1040px;margin:0 auto;padding:24px 20px 60px}
    h1{font-size:26px;margin:0 0 4px}
    h2{font-size:19px;margin:36px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
    h3{font-size:15px;margin:22px 0 6px}
    p,ul{margin:6px 0}
    .meta{color:var(--muted);margin:2px 0}
    .meta code,.notice code{font-size:13px}
    .notice{background:#fff8c5;border:1px solid #d4a72c66;border-radius:6px;padding:6px 10px;margin:8px 0}
    .note{color:var(--muted);font-size:13px}
    nav.toc{margin:14px 0;font-size:13px}
    nav.toc a{margin-right:12px;color:var(--accent);text-decoration:none}
    .figures{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
    .figure{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:118px;background:var(--soft)}
    .figure .n{display:block;font-size:24px;font-weight:600;font-variant-numeric:tabular-nums}
    .figure .l{color:var(--muted);font-size:12px}
    .figure .s{display:block;color:var(--muted);font-size:11px}
    .figure.sev{border-left-width:5px}
    table{border-collapse:collapse;width:100%;margin:8px 0;font-size:13px}
    th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
    th{background:var(--soft);font-weight:600;white-space:nowrap}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
    td code{white-space:nowrap}
    td.title{min-width:14em}
    table.sortable th{cursor:pointer}
    table.sortable th[aria-sort=ascending]::after{content:" ▲"}
    table.sortable th[aria-sort=descending]::after{content:" ▼"}
    svg.chart{display:block;max-width:100%;height:auto;margin:6px 0}
    svg.spark{display:block}
    .sev-badge{display:inline-block;border-radius:4px;padding:0 6px;color:#fff;font-size:12px;white-space:nowrap}
    .s0{background:#7f1d1d;border-color:#7f1d1d}.s1{background:#dc2626;border-color:#dc2626}.s2{background:#f59e0b;border-color:#f59e0b}
    .s3{background:#64748b;border-color:#64748b}.s4{background:#94a3b8;border-color:#94a3b8}.s5{background:#cbd5e1;border-color:#cbd5e1}
    .figure.sev.s0,.figure.sev.s1,.figure.sev.s2,.figure.sev.s3,.figure.sev.s4,.figure.sev.s5{background:var(--soft)}
    .bar{display:inline-block;height:8px;background:#dc2626;vertical-align:middle}
    .bar.t{background:#1f2328;width:2px;margin-left:-2px}
    .controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0}
    .controls input,.controls select,.controls button{font:inherit;font-size:13px;padding:3px 6px}
    input.filter{font:inherit;font-size:13px;padding:3px 6px;margin:4px 0}
    details.shop{border:1px solid var(--line);border-radius:6px;margin:6px 0;background:var(--bg)}
    details.shop>summary{cursor:pointer;padding:6px 10px;background:var(--soft);border-radius:6px}
    details.shop[open]>summary{border-bottom:1px solid var(--line);border-radius:6px 6px 0 0}
    .shop-body{padding:4px 12px 10px}
    .conv{margin:10px 0 4px}
    .conv>h4{font-size:13px;margin:0 0 4px;color:var(--muted);font-weight:600}
    ol.vs{list-style:none;margin:0;padding:0}
    li.where{font-size:13px;margin-top:10px;color:var(--muted)}
    li.v{border-left:4px solid var(--line);padding:4px 10px;margin:6px 0;background:#fafbfc}
    li.b0{border-left-color:#7f1d1d}li.b1{border-left-color:#dc2626}li.b2{border-left-color:#f59e0b}
    li.b3{border-left-color:#64748b}li.b4{border-left-color:#94a3b8}li.b5{border-left-color:#cbd5e1}
    .vh{font-size:13px}
    .vh .c{font-weight:600}
    .vh .t,.vh .src,.vh time{color:var(--muted)}
    .msg{margin:4px 0;padding:4px 8px;background:#fff;border:1px solid var(--line);border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere}
    .ob,.why,.ev-list{font-size:13px;margin:2px 0}
    .why{color:#9a6700}
    mark.ev{background:#ffd33d80;border-bottom:2px solid #d4a72c;padding:0 1px;border-radius:2px}
    mark.ev-phone,mark.ev-bank_card,mark.ev-email,mark.ev-url,mark.ev-qr_code{background:#ff818266;border-bottom-color:#cf222e}
    code.m{background:#ffd33d80;padding:0 3px;border-radius:3px}
    .muted{color:var(--muted)}
    .hidden,.noscript-hidden{display:none!important}
    @media print{
      @page{margin:14mm}
      body{font-size:10pt}
      main{max-width:none;padding:0}
      nav.toc,.controls,input.filter,.noprint{display:none!important}
      h2{break-after:avoid}
      table{font-size:8pt}
      th{white-space:normal}
      td code{white-space:normal;overflow-wrap:break-word}
      svg.chart,.figures,table tr,li.v{break-inside:avoid}
      a{color:inherit;text-decoration:none}
      .figure,details.shop>summary,th,li.v{background:none!important}
      .sev-badge{color:#000;border:1px solid #000;background:none!important}
    }
    """

  static let script = """
    (function(){
    'use strict';
    var number=/^-?[0-9]+(\\.[0-9]+)?$/;
    function key(row,i){var c=row.cells[i];if(!c){return '';}var v=c.getAttribute('data-sort');return v===null?c.textContent.trim():v;}
    function compare(a,b){if(number.test(a)&&number.test(b)){return parseFloat(a)-parseFloat(b);}return a<b?-1:(a>b?1:0);}
    document.querySelectorAll('table.sortable').forEach(function(table){
      if(!table.tHead||!table.tBodies.length){return;}
      var heads=table.tHead.rows[0].cells;
      Array.prototype.forEach.call(heads,function(th,i){
        th.tabIndex=0;
        function sort(){
          var body=table.tBodies[0];
          var ascending=th.getAttribute('aria-sort')!=='ascending';
          var rows=Array.prototype.slice.call(body.rows);
          rows.sort(function(x,y){var r=compare(key(x,i),key(y,i));return ascending?r:-r;});
          Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
          th.setAttribute('aria-sort',ascending?'ascending':'descending');
          rows.forEach(function(r){body.appendChild(r);});
        }
        th.addEventListener('click',sort);
        th.addEventListener('keydown',function(e){if(e.key==='Enter'){sort();}});
      });
    });
    document.querySelectorAll('input.filter[data-table]').forEach(function(input){
      var table=document.getElementById(input.getAttribute('data-table'));
      if(!table||!table.tBodies.length){return;}
      input.addEventListener('input',function(){
        var q=input.value.trim().toLowerCase();
        Array.prototype.forEach.call(table.tBodies[0].rows,function(r){
          r.classList.toggle('hidden',q!==''&&r.textContent.toLowerCase().indexOf(q)<0);
        });
      });
    });
    var sev=document.getElementById('f-severity'),cl=document.getElementById('f-clause'),tx=document.getElementById('f-text');
    function apply(){
      var s=sev?sev.value:'',c=cl?cl.value:'',q=tx?tx.value.trim().toLowerCase():'';
      document.querySelectorAll('details.shop').forEach(function(d){
        var any=false;
        d.querySelectorAll('li.v').forEach(function(v){
          var ok=(s===''||v.getAttribute('data-s')===s)&&(c===''||v.getAttribute('data-c')===c)&&(q===''||v.textContent.toLowerCase().indexOf(q)>=0);
          v.classList.toggle('hidden',!ok);if(ok){any=true;}
        });
        d.querySelectorAll('.conv').forEach(function(k){k.classList.toggle('hidden',k.querySelector('li.v:not(.hidden)')===null);});
        d.classList.toggle('hidden',!any&&(s!==''||c!==''||q!==''));
      });
    }
    [sev,cl].forEach(function(e){if(e){e.addEventListener('change',apply);}});
    if(tx){tx.addEventListener('input',apply);}
    function openAll(open){document.querySelectorAll('details.shop').forEach(function(d){d.open=open;});}
    var ex=document.getElementById('expand-all'),co=document.getElementById('collapse-all');
    if(ex){ex.addEventListener('click',function(){openAll(true);});}
    if(co){co.addEventListener('click',function(){openAll(false);});}
    document.querySelectorAll('.noscript-hidden').forEach(function(e){e.classList.remove('noscript-hidden');});
    // Read by Scripts/check-report.py: the script ran to its end, and how long the page took.
    document.documentElement.setAttribute('data-script','ok');
    document.documentElement.setAttribute('data-ready-ms',String(Math.round(performance.now())));
    })();
    """
}
