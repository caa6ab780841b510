<?php
// The end-to-end page: what a WordPress front page does, in a dozen lines. nginx passes it to
// php-fpm over FastCGI; it talks to MariaDB over the unix socket with mysqli (the test server's
// own socket, which .ci/services writes to php.ini as mysqli.default_socket).
mysqli_report(MYSQLI_REPORT_OFF);
$db = new mysqli('localhost', 'wp', 'wp-e2e-password', 'wordpress', 0, ini_get('mysqli.default_socket'));
if ($db->connect_errno) {
    http_response_code(500);
    echo "connect error: ", $db->connect_error, "\n";
    exit;
}
$res = $db->query('SELECT ID, post_title, post_content FROM wp_posts WHERE ID IN (4)');
if ($res) {
    while ($row = $res->fetch_assoc()) {
        echo "<h1>", htmlspecialchars($row['post_title']), "</h1>\n";
        echo "<p>", htmlspecialchars($row['post_content']), "</p>\n";
    }
    $res->free();
} else {
    echo "query error: ", $db->error, "\n";
}
if (!$db->query('SELECT * FROM no_such_table')) {
    echo "<!-- error ", $db->errno, ": ", htmlspecialchars($db->error), " -->\n";
}
$db->close();
