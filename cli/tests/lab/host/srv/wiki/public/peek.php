<?php echo @file_get_contents("@ROOT@/srv/blog/config.php") ?: "DENIED";
