<?php
class ServiceSocket {
	function __construct($socketPath) {
		$this->socketPath=$socketPath;
		$this->socket=socket_create(AF_UNIX, SOCK_STREAM, 0);
		$ok=socket_connect($this->socket,$this->socketPath);
		if($ok==false) {
			error_log(socket_strerror($this->socket));
			die();
		}
		$this->buffer="";
		socket_set_nonblock($this->socket);
	}
	function getLine() {
		while(true) {
			$pos=strpos($this->buffer,"\n");
			if($pos!==false) {
				$line=substr($this->buffer,0,$pos);
				$this->buffer=substr($this->buffer,$pos+1);
				return $line;
			}
			$data=socket_read($this->socket,100);
			if($data==false)
				continue;
			$this->buffer.=$data;
		}
		return $line;
	}
	function listConnections() {
		socket_write($this->socket,"LIST WEBSOCKETS\n");
		$line=$this->getLine();
		$ret=array();
		if(substr($line,0,3)=="===") {
			while(true) {
				$line=$this->getLine();
				if(substr($line,0,3)=="===")
					break;
				$cline=explode(" ",$line);
				$ret[]=array("clientId"=>$cline[0],"host"=>$cline[1]);
			}
		}
		return $ret;
	}
	function sendMessage($clientId,$jsonMessage) {
		socket_write($this->socket,"SEND MESSAGE ".$clientId." ".$jsonMessage."\n");
		$line=$this->getLine();
		if($line=="OK") {
			return true;
		}else {
			return explode(" ",$line,2)[1];
		}
	}
}
?>
