# Sourced by bench.sh and compare.sh (after loopback-fixture.sh, for $work and the certificate): nginx as an HTTPS
# mock of ClientLoop answering a fixed session, keep-alive, one worker, on $mock_port; and the same answer after
# 100 ms ($slow100_port) and 50 ms ($slow50_port). Also writes $work/post.lua, the wrk script of a mint.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
mock_port="$(free_port)"; slow100_port="$(free_port)"; slow50_port="$(free_port)"
answer='{"data":{"contactCreateIdvSession":{"token":"link-sandbox-bench-0000","expiresAt":"2030-01-01T00:00:00Z"}}}'
mkdir -p "$work/nginx"
cat >"$work/nginx.conf" <<NGINX
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
worker_processes 1;
daemon off;
user root;
pid $work/nginx/pid;
error_log $work/nginx/error.log;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$mock_port ssl;
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    location / { default_type application/json; return 200 '$answer'; }
  }
  # A slow ClientLoop: the same answer after 100 ms, or 50 ms (the echo module's timer, not a blocked worker).
  server {
    listen 127.0.0.1:$slow100_port ssl;
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    location / { default_type application/json; echo_sleep 0.1; echo -n '$answer'; }
  }
  server {
    listen 127.0.0.1:$slow50_port ssl;
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    location / { default_type application/json; echo_sleep 0.05; echo -n '$answer'; }
  }
}
NGINX
nginx -c "$work/nginx.conf" &
for _ in $(seq 100); do curl -sk -o /dev/null "https://127.0.0.1:$mock_port/" && break; sleep 0.05; done

cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{}'  -- a new contact: what the default contact policy serves
wrk.headers["Content-Type"] = "application/json"
LUA
